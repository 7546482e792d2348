from bot.slack.preview import DIVIDER, render_text


def test_render_text_block_types():
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Digest"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "*Total* 5"},
         "fields": [{"type": "mrkdwn", "text": "a\nb"}, {"type": "plain_text", "text": "c"}],
         "accessory": {"type": "button", "text": {"type": "plain_text", "text": "Open"}}},
        {"type": "divider"},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "one"}, {"type": "plain_text", "text": "two"}]},
        {"type": "actions", "elements": [
            {"type": "button", "text": {"type": "plain_text", "text": "Snooze"}},
            {"type": "static_select", "placeholder": {"type": "plain_text", "text": "Pick"}},
        ]},
        {"type": "video"},
    ]
    assert render_text(blocks).split("\n") == [
        "Digest", "======", "",
        "*Total* 5", "  a", "  b", "  c", "  [Open]", "",
        DIVIDER, "",
        "one  two", "",
        "[Snooze] [Pick ▾]", "",
        "[video block]",
    ]


def test_render_text_mrkdwn_controls():
    text = "<@U123> owes <!channel> &lt;!here&gt; &amp; <https://x.test|site> <#C1|ar>"
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    assert render_text(blocks) == "@U123 owes @channel <!here> & site (https://x.test) #ar"


def test_render_text_plain_text_kept():
    blocks = [{"type": "section", "text": {"type": "plain_text", "text": "&lt;kept&gt;"}}]
    assert render_text(blocks) == "&lt;kept&gt;"


def test_render_text_wide_header_underline():
    blocks = [{"type": "header", "text": {"type": "plain_text", "text": "应收 AR"}}]
    assert render_text(blocks) == "应收 AR\n" + "=" * 7
