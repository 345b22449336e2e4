from memory.tokens import count_tokens, truncate_to_tokens


def test_count_tokens_words_and_punctuation():
    assert count_tokens("") == 0
    assert count_tokens("   \n ") == 0
    assert count_tokens("Grade 5 Blue's PACER") == 6  # Grade, 5, Blue, ', s, PACER
    assert count_tokens("95°F?") == 4  # 95, °, F, ?
    assert count_tokens("Élan vital") == 2


def test_whitespace_is_free():
    assert count_tokens("a b") == count_tokens("a\n\nb") == count_tokens("a      b") == 2


def test_truncate_to_tokens():
    assert truncate_to_tokens("one, two three", 0) == ""
    assert truncate_to_tokens("one, two three", 1) == "one"
    assert truncate_to_tokens("one, two three", 2) == "one,"
    assert truncate_to_tokens("one, two three", 3) == "one, two"
    assert truncate_to_tokens("one, two three  ", 99) == "one, two three"
    assert truncate_to_tokens("", 5) == ""
    assert truncate_to_tokens("x", -1) == ""


def test_truncate_never_exceeds_limit():
    text = "Earlier: asked about PACER results for Grade 5 Blue; attendance (last 30 days)!"
    total = count_tokens(text)
    for limit in range(total + 3):
        cut = truncate_to_tokens(text, limit)
        assert count_tokens(cut) == min(limit, total)
        assert text.startswith(cut)
