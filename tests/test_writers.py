"""Every rich-text node type through every writer: nothing a cell holds is lost on the way out.

A cell can hold text, code, emphasis, strong text, links, line breaks, and
lists nested in lists.  Each output (plain text, the site's RST, its table
data read back as docutils nodes, the HTML and Markdown exports) must keep
each of them.
"""

from __future__ import annotations

from docutils import nodes
from docutils.core import publish_doctree

from statusdocs.formats.table_export import html_cell, markdown_text, one_line
from statusdocs.richtext import (
    BulletList,
    Code,
    Emphasis,
    LineBreak,
    Link,
    ListItem,
    OrderedList,
    Paragraph,
    RichText,
    Strong,
    Text,
)
from statusdocs.site import celldata, rst
from statusdocs.sphinx_ext.table_nodes import blocks as docutils_blocks

CELL = RichText(
    (
        Paragraph(
            (
                Text("Send "),
                Code("If-Match"),
                Text(" and "),
                Emphasis((Text("retry"),)),
                Text(" "),
                Strong((Text("once"),)),
                LineBreak(),
                Text("see "),
                Link((Text("the RFC"),), "https://www.rfc-editor.org/rfc/rfc9110"),
            )
        ),
        BulletList(
            (
                ListItem(
                    (
                        Paragraph((Text("outer"),)),
                        OrderedList((ListItem((Paragraph((Text("inner"),)),)),), 3),
                    )
                ),
            )
        ),
    )
)


def test_plain_text_keeps_lines_and_nesting() -> None:
    assert CELL.plain == ("Send If-Match and retry once\nsee the RFC\n\n- outer\n  3. inner")


def test_rst_keeps_every_node() -> None:
    text = str(rst.blocks(CELL))
    assert text == (
        "| Send \\ :literal:`If\\-Match`\\  and \\ *retry*\\  \\ **once**\n"
        "| see \\ `the RFC <https://www.rfc-editor.org/rfc/rfc9110>`__\n"
        "\n"
        "- outer\n"
        "\n"
        "  3. inner"
    )
    tree = publish_doctree(text, settings_overrides={"report_level": 1}).pformat()
    for element in ("<line_block>", "<literal>", "<emphasis>", "<strong>", "<reference"):
        assert element in tree, element
    assert tree.count("<line>") == 2 and "WARNING" not in tree and "ERROR" not in tree
    assert '<enumerated_list enumtype="arabic" prefix="" start="3" suffix=".">' in tree


def test_table_data_read_back_as_docutils_keeps_every_node() -> None:
    data = celldata.cell(CELL)
    built = docutils_blocks(data, lambda target, title: nodes.Text(title))
    tree = "\n".join(node.pformat() for node in built)
    for element in ("<line_block>", "<literal>", "<emphasis>", "<strong>", "<reference"):
        assert element in tree, element
    assert tree.count("<line>") == 2
    assert "<bullet_list" in tree and '<enumerated_list enumtype="arabic" start="3">' in tree
    assert "inner" in tree


def test_html_keeps_every_node() -> None:
    assert html_cell(CELL) == (
        "<p>Send <code>If-Match</code> and <em>retry</em> <strong>once</strong><br>"
        'see <a href="https://www.rfc-editor.org/rfc/rfc9110">the RFC</a></p>\n'
        '<ul>\n<li><p>outer</p>\n<ol start="3">\n<li>inner</li>\n</ol></li>\n</ul>'
    )


def test_markdown_cells_are_one_line_with_every_word() -> None:
    assert (
        markdown_text(one_line(CELL)) == "Send If-Match and retry once see the RFC - outer 3. inner"
    )
