"""Segmentation: words inside compounds are indexed, mixed scripts survive."""

import unicodedata

from search.segment import (
    index_tokens,
    load_dictionary_lines,
    normalise,
    query_words,
    word_alternatives,
)


def test_words_inside_compounds_are_indexed():
    assert "党建" in index_tokens("区域化党建工作")
    assert "报到" in index_tokens("在职党员双报到")
    assert "双报到" in index_tokens("在职党员双报到")
    assert "兼职委员" in index_tokens("兼职委员述职")


def test_mixed_chinese_digits_and_latin():
    tokens = index_tokens("2021年联席会议在ＡＰＰ和微信公众号发布")
    for token in ("2021", "联席会议", "app", "微信公众号"):
        assert token in tokens
    assert query_words("2021 联席会议") == ["2021", "联席会议"]
    assert query_words("APP") == ["app"]


def test_punctuation_and_stopwords_are_dropped():
    assert index_tokens("，。！的了 ") == []
    assert query_words("“党建”的") == ["党建"]


def test_domain_terms_stay_whole_and_match_their_plain_parts():
    assert query_words("社区大党委") == ["社区大党委"]
    assert word_alternatives("区域化党建") == [
        ["区域化党建"],
        ["区域化", "党建"],
        ["区域", "域化", "化党", "党建"],
    ]
    assert word_alternatives("党建") == [["党建"]]  # two characters: the word is its own pair


def test_character_pairs_are_a_safety_net_without_doubling_words():
    tokens = index_tokens("幸福里社区")
    assert "福里" in tokens  # jieba cuts 幸福 / 里社区 here; the pair still finds 幸福里
    assert tokens.count("社区") == 1


def test_dictionary_file_is_parsed():
    entries = {word: (freq, tag) for word, freq, tag in load_dictionary_lines()}
    assert "双报到" in entries and "兼职委员" in entries and "党群微家" in entries
    assert all(not word.startswith("#") for word in entries)


def test_normalise_is_nfkc_and_lower_case_whatever_the_shortcut():
    """normalise skips NFKC for text already in it; the result must not change."""
    samples = [
        "幸福里社区，召开“联席会议”：ＡＰＰ报名２０２１年。",
        "全角\u3000空格、…省略号",
        "兼容汉字\uf900与㈱、Ⅻ、ﬁ",
        "e\u0301 组合符号",
        "",
        None,
    ]
    for text in samples:
        assert normalise(text) == unicodedata.normalize("NFKC", text or "").lower(), text


def test_index_tokens_are_the_same_on_a_second_pass():
    """Kept tokens and dictionary pairs are remembered between texts; a text cut again,
    after others, gets the same tokens."""
    text = "在职党员到社区报到，报到后认领岗位。区域化党建的的了了"
    first = index_tokens(text)
    index_tokens("党群微家 网格党支部 报到 志愿服务")
    assert index_tokens(text) == first
    assert "报到" in first and "区域化党建" in first and "的的" not in first
