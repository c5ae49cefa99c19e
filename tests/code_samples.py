# ruff: noqa: E501 -- the showcase needs a line too long for its block.
"""An article body that uses every code, tab and diagram feature (docs/markdown.md)."""

SHOWCASE = """Code blocks rendered on the server.

```python title="train.py" {2} showLineNumbers
import torch
model = torch.nn.Linear(4, 2)  # the highlighted line
print(model(torch.ones(4)).shape, "a long line that has to scroll inside its block rather than stretch the page")
```

```diff-python title="fix.py"
 def step(x):
-    return x + 1
+    return x + 2
```

::: tabs
```python tab="PyTorch"
import torch
x = torch.ones(3)
```
```python tab="TensorFlow"
import tensorflow as tf
x = tf.ones(3)
```
```python tab="JAX"
import jax.numpy as jnp
x = jnp.ones(3)
```
:::

A second group with the same labels follows the reader's choice.

::: tabs
```python tab="PyTorch"
y = x * 2  # torch
```
```python tab="TensorFlow"
y = x * 2  # tensorflow
```
```python tab="JAX"
y = x * 2  # jax
```
:::

```mermaid
flowchart LR
  A[Markdown] --> B{Fence?}
  B -->|code| C[Pygments]
  B -->|diagram| D[SVG]
```

```mermaid
sequenceDiagram
  participant R as Reader
  participant S as Server
  R->>S: GET /articles/code
  S-->>R: body_html, rendered at save time
```

```dot
digraph G { rankdir=LR; source -> parser -> html; parser -> svg }
```
"""
