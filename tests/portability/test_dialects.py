from articles.portability.dialects import DialectOptions, convert, pandoc_language

HEXO_ONLY = DialectOptions(d2lbook=False, pandoc=False)


def test_hexo_note_becomes_an_alert():
    body = "Before\n\n{% note warning Careful %}\nHot *surface*.\n\nTwo.\n{% endnote %}\n\nAfter"
    converted = convert(body, HEXO_ONLY).body
    assert "> [!WARNING]\n> **Careful**\n>\n> Hot *surface*.\n>\n> Two." in converted
    assert "endnote" not in converted
    assert converted.endswith("\n\nAfter")


def test_hexo_note_without_class_is_a_note():
    assert convert("{% note %}\nx\n{% endnote %}", HEXO_ONLY).body == "> [!NOTE]\n> x"


def test_hexo_codeblock_becomes_a_fence():
    body = "{% codeblock example.py lang:python %}\nprint('```')\n{% endcodeblock %}"
    assert convert(body, HEXO_ONLY).body == "````python\nprint('```')\n````"


def test_hexo_raw_tags_are_removed_content_kept():
    body = "{% raw %}\n{{ jinja }} stays\n{% endraw %}\nInline {% raw %}{{ x }}{% endraw %}."
    assert convert(body, HEXO_ONLY).body == "{{ jinja }} stays\nInline {{ x }}."


def test_hexo_asset_img_becomes_an_image_in_the_post_folder():
    body = '{% asset_img diagram.png 300 "The pipeline" %}'
    converted = convert(body, HEXO_ONLY, asset_folder="my-post").body
    assert converted == "![The pipeline](my-post/diagram.png)"


def test_unknown_hexo_tag_is_kept_and_warned_once():
    converted = convert("{% youtube abc %}\n\n{% youtube def %}", HEXO_ONLY)
    assert converted.body == "{% youtube abc %}\n\n{% youtube def %}"
    assert converted.warnings == [(1, "unsupported Hexo tag {% youtube %} kept as text")]


def test_hexo_tags_inside_fenced_code_are_left_alone():
    body = "```liquid\n{% raw %}{% note %}{% endraw %}\n```"
    assert convert(body, HEXO_ONLY).body == body


def test_excerpt_markers_are_kept():
    body = "Intro\n\n<!-- more -->\n\nRest\n\n<!-- truncate -->"
    assert convert(body).body == body


def test_d2lbook_roles_become_labels_references_and_citations():
    body = (
        "# Adam\n:label:`sec_adam`\n\n"
        "See :numref:`sec_sgd`, :numref:`fig_a`, :numref:`tab_t` and :eqref:`eq_adam`, "
        "after :cite:`Kingma.Ba.2014,Ruder.2016` and :citet:`Kingma.Ba.2014`.\n\n"
        "![Plot](../img/a.svg)\n:width:`400px`\n:label:`fig_a`\n\n$$x$$\n:eqlabel:`eq_adam`\n\n"
        "|a|\n|-|\n|1|\n:label:`tab_t`\n"
    )
    converted = convert(body).body
    assert converted == (
        "# Adam {#sec-adam}\n\n"
        "See @sec-sgd, @fig-a, @tbl-t and @eq-adam, "
        "after [@Kingma.Ba.2014; @Ruder.2016] and @Kingma.Ba.2014.\n\n"
        "![Plot](../img/a.svg){#fig-a}\n\n$$x\\label{eq:adam}$$\n\n"
        "|a|\n|-|\n|1|\n\n: {#tbl-t}\n"
    )


def test_citation_before_a_parenthesis_does_not_become_a_link():
    assert convert(":cite:`Key.2020`(2020)").body == "[@Key.2020] (2020)"


TABS = (
    "Intro\n\n"
    ":begin_tab:`mxnet`\nMXNet text\n:end_tab:\n\n"
    ":begin_tab:`pytorch`\nPyTorch text\n:end_tab:\n\n"
    "```{.python .input}\n#@tab pytorch\nimport torch\n```\n\n"
    "```{.python .input}\n#@tab tensorflow\nimport tensorflow\n```\n\n"
    "```{.python .input}\n#@tab all\ndef f():  #@save\n    #@save\n    return 1\n```\n\n"
    "Outro"
)


def test_first_framework_tab_is_kept():
    converted = convert(TABS).body
    assert "MXNet text" in converted
    assert "PyTorch text" not in converted
    # The first framework named in code cells is pytorch: its cell stays, tensorflow's goes.
    assert "import torch" in converted
    assert "tensorflow" not in converted
    assert "def f():\n    return 1" in converted
    assert "#@" not in converted
    assert ":begin_tab:" not in converted and ":end_tab:" not in converted
    assert converted.startswith("Intro") and converted.endswith("Outro")


def test_named_framework_tab_is_kept():
    converted = convert(TABS, DialectOptions(d2l_tab="tensorflow")).body
    assert "import tensorflow" in converted
    assert "import torch" not in converted
    # No tensorflow text tab: the group keeps its first one.
    assert "MXNet text" in converted and "PyTorch text" not in converted


def test_all_framework_tabs_can_be_kept():
    converted = convert(TABS, DialectOptions(d2l_tab="all")).body
    for text in ("MXNet text", "PyTorch text", "import torch", "import tensorflow"):
        assert text in converted
    assert converted.count("```python") == 3


def test_untagged_cells_are_the_default_framework():
    body = (
        "```{.python .input}\nfrom mxnet import np\n```\n\n"
        "```{.python .input}\n#@tab pytorch\nimport torch\n```"
    )
    assert "import torch" in convert(body, DialectOptions(d2l_tab="pytorch")).body
    assert "import torch" not in convert(body, DialectOptions(d2l_tab="mxnet")).body
    assert "from mxnet" in convert(body, DialectOptions(d2l_tab="mxnet")).body


def test_toc_block_is_dropped():
    body = "# Chapter\n\n```toc\n:maxdepth: 2\n\nintro\nsetup\n```\n\nText"
    assert convert(body).body == "# Chapter\n\n\nText"


def test_pandoc_info_strings_become_the_language():
    assert pandoc_language("{.python .input}") == "python"
    assert pandoc_language("{.python .input  n=7}") == "python"
    assert pandoc_language("{#listing .rust}") == "rust"
    assert pandoc_language("{r}") == "r"
    assert pandoc_language("js") == "js"
    body = "~~~{.bash}\nls\n~~~\n\n```{.python .input}\nx = 1\n```"
    assert convert(body).body == "~~~bash\nls\n~~~\n\n```python\nx = 1\n```"


def test_dialects_can_be_switched_off():
    body = "{% raw %}x{% endraw %} :numref:`a`\n\n```{.python .input}\n#@tab all\n```"
    off = DialectOptions(hexo=False, d2lbook=False, pandoc=False)
    assert convert(body, off).body == body


def test_conversion_is_idempotent():
    once = convert(TABS).body
    assert convert(once).body == once
