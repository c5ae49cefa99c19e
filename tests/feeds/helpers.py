"""Constants and parsers shared by the feed tests."""

import json
import xml.etree.ElementTree as ET

import feedparser
from django.urls import reverse

SITE = "https://ink.example.org"
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
MATHML = "http://www.w3.org/1998/Math/MathML"

TRICKY_TITLE = "Tom & Jerry <script> 🚀 注意力机制"
CHINESE_BODY = """注意力机制的核心是 $\\mathrm{softmax}(QK^T)$，行内公式 $x^2$。

$$
\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}
$$

```python
def attention(q, k):
    return q @ k.T  # 注释
```

![示意图](/media/uploads/attention.png) 和 ![相对](img/diagram.png)

参见 [另一篇](/articles/other/) 和 [本节](#小节)。

## 小节

结束。
"""


def feed_urls():
    return {
        "site_rss": reverse("articles:feed_rss"),
        "site_atom": reverse("articles:feed_atom"),
        "site_json": reverse("articles:feed_json"),
        "tag_rss": reverse("articles:tag_feed_rss", kwargs={"slug": "python"}),
        "tag_atom": reverse("articles:tag_feed_atom", kwargs={"slug": "python"}),
        "category_rss": reverse("articles:category_feed_rss", kwargs={"slug": "ml"}),
        "category_atom": reverse("articles:category_feed_atom", kwargs={"slug": "ml"}),
        "author_rss": reverse("articles:author_feed_rss", kwargs={"username": "author"}),
        "author_atom": reverse("articles:author_feed_atom", kwargs={"username": "author"}),
    }


def parsed(response):
    """Return the feedparser result, asserting the feed is well-formed and clean."""
    assert response.status_code == 200
    ET.fromstring(response.content)
    result = feedparser.parse(response.content)
    assert result.bozo == 0, result.get("bozo_exception")
    return result


def json_feed(response):
    assert response.status_code == 200
    return json.loads(response.content.decode("utf-8"))


def entry_ids(client, url):
    return [entry.id for entry in parsed(client.get(url)).entries]
