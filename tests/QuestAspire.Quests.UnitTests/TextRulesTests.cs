namespace QuestAspire.Quests.UnitTests;

public sealed class TextRulesTests
{
    [Theory]
    [InlineData("signin_three", "signin_three")]
    [InlineData("  padded\u00A0", "padded")] // NBSP is white space: trimmed
    [InlineData("ｆｕｌｌｗｉｄｔｈ", "fullwidth")] // NFKC folds compatibility forms
    [InlineData("\uFB01ve", "five")] // the "fi" ligature
    [InlineData("cafe\u0301", "caf\u00E9")] // a combining accent composes
    [InlineData("Ünïcödé 🎉 名前", "Ünïcödé 🎉 名前")]
    [InlineData("'; DROP TABLE quests; --", "'; DROP TABLE quests; --")]
    [InlineData("<script>alert(1)</script>", "<script>alert(1)</script>")]
    public void CanonicalName_NormalizesAndTrims(string input, string expected)
    {
        var result = TextRules.CanonicalName(input, "name");

        Assert.True(result.IsValid, result.Error);
        Assert.Equal(expected, result.Value);
    }

    [Theory]
    [InlineData("ad\0min", "NUL", "U+0000")]
    [InlineData("admin\n", "line break", "U+000A")]
    [InlineData("ad\r\nmin", "line break", "U+000D")]
    [InlineData("ad\tmin", "tab", "U+0009")]
    [InlineData("ad\u0007min", "control character", "U+0007")]
    [InlineData("ad\u0085min", "control character", "U+0085")]
    [InlineData("ad\u200Bmin", "zero-width", "U+200B")]
    [InlineData("ad\u200Cmin", "zero-width", "U+200C")]
    [InlineData("ad\u200Dmin", "zero-width", "U+200D")]
    [InlineData("ad\u2060min", "zero-width", "U+2060")]
    [InlineData("\uFEFFadmin", "zero-width", "U+FEFF")]
    [InlineData("ad\u202Emin", "bidirectional override", "U+202E")]
    [InlineData("ad\u202Amin", "bidirectional override", "U+202A")]
    [InlineData("ad\u2066min", "bidirectional isolate", "U+2066")]
    [InlineData("ad\u2069min", "bidirectional isolate", "U+2069")]
    [InlineData("ad\u2028min", "line break", "U+2028")]
    [InlineData("ad\u00ADmin", "invisible formatting", "U+00AD")]
    [InlineData("ad\u200Emin", "invisible formatting", "U+200E")]
    public void CanonicalName_RefusesInvisibleAndControlCharacters_NamingThem(string input, string problem, string codePoint)
    {
        var result = TextRules.CanonicalName(input, "name");

        Assert.False(result.IsValid, $"accepted as '{result.Value}'");
        Assert.Null(result.Value);
        Assert.StartsWith("name must not contain", result.Error, StringComparison.Ordinal);
        Assert.Contains(problem, result.Error, StringComparison.Ordinal);
        Assert.Contains(codePoint, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void CanonicalName_OfNothing_IsEmpty_ForTheCallerToRequire(string? input)
    {
        var result = TextRules.CanonicalName(input, "name");

        Assert.True(result.IsValid);
        Assert.Equal("", result.Value);
    }

    [Theory]
    [InlineData("user", "USER")]
    [InlineData("User", "uSER")]
    [InlineData("ｕｓｅｒ", "user")] // after canonicalization
    [InlineData("Straße", "STRAßE")]
    [InlineData("émoji 🎉", "ÉMOJI 🎉")]
    public void NameKey_IsTheSame_ForNamesDifferingOnlyByCase(string a, string b)
    {
        var keyA = TextRules.NameKey(TextRules.CanonicalName(a, "name").Value!);
        var keyB = TextRules.NameKey(TextRules.CanonicalName(b, "name").Value!);

        Assert.Equal(keyA, keyB);
    }

    [Fact]
    public void NameKey_Differs_ForDifferentNames()
    {
        Assert.NotEqual(TextRules.NameKey("signin_three"), TextRules.NameKey("signin_tree"));
    }

    [Theory]
    [InlineData("line one\nline two")]
    [InlineData("tab\there\r\n")]
    [InlineData("  kept as sent  ")]
    [InlineData("\u202Eright to left, zero\u200Bwidth")]
    [InlineData("emoji 🎉 and e\u0301")]
    [InlineData("")]
    public void Description_IsStoredExactlyAsSent(string input)
    {
        var result = TextRules.Description(input, "description");

        Assert.True(result.IsValid, result.Error);
        Assert.Equal(input, result.Value);
    }

    [Theory]
    [InlineData("a\0b", "NUL")]
    [InlineData("\0", "NUL")]
    public void Description_RefusesNulAndLoneSurrogates(string input, string problem)
    {
        var result = TextRules.Description(input, "description");

        Assert.False(result.IsValid);
        Assert.StartsWith("description must not contain", result.Error, StringComparison.Ordinal);
        Assert.Contains(problem, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("correct horse battery staple")]
    [InlineData("пароль-密码-🔑")]
    [InlineData("tab\tand\nnewline")]
    [InlineData("\u202E\u200B")]
    public void Password_AcceptsAnyUnicodeText(string input)
    {
        var result = TextRules.Password(input, "password");

        Assert.True(result.IsValid, result.Error);
        Assert.Equal(input, result.Value);
    }

    [Theory]
    [InlineData("pass\0word", "NUL")]
    public void Password_RefusesNulAndLoneSurrogates(string input, string problem)
    {
        var result = TextRules.Password(input, "password");

        Assert.False(result.IsValid);
        Assert.Contains(problem, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(" ｕｓｅｒ ", "user")]
    [InlineData("user\n", "user")]
    public void Canonicalize_ForALookup_NeverThrows(string input, string expected)
    {
        Assert.Equal(expected, TextRules.Canonicalize(input));
    }

    [Theory]
    [InlineData("ad\0min", "NUL")]
    public void FindUnstorable_NamesTheProblem(string input, string problem)
    {
        Assert.Contains(problem, TextRules.FindUnstorable(input, "username"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("admin\n")]
    [InlineData("ad\u202Emin")]
    [InlineData("🎉")]
    public void FindUnstorable_LetsOtherTextThrough(string input)
    {
        Assert.Null(TextRules.FindUnstorable(input, "username"));
    }

    // Lone surrogates are built here: xunit serializes theory data, which would replace them with U+FFFD.
    public static TheoryData<string, string> LoneSurrogates => new()
    {
        { "ad" + (char)0xD800 + "min", "U+D800" },
        { "admin" + (char)0xDC00, "U+DC00" },
        { (char)0xDE00 + "" + (char)0xD83D, "U+DE00" }, // a pair in the wrong order
        { (char)0xD83D + "", "U+D83D" },
    };

    [Theory]
    [MemberData(nameof(LoneSurrogates), DisableDiscoveryEnumeration = true)]
    public void EveryRule_RefusesALoneSurrogate_NamingIt(string input, string codePoint)
    {
        Assert.Contains(input, char.IsSurrogate); // the test data kept its surrogate
        foreach (var result in new[] { TextRules.CanonicalName(input, "f"), TextRules.Description(input, "f"), TextRules.Password(input, "f") })
        {
            Assert.False(result.IsValid, $"accepted as '{result.Value}'");
            Assert.Contains("lone surrogate", result.Error, StringComparison.Ordinal);
            Assert.Contains(codePoint, result.Error, StringComparison.Ordinal);
        }

        Assert.Contains("lone surrogate", TextRules.FindUnstorable(input, "f"), StringComparison.Ordinal);
        Assert.Equal(input, TextRules.Canonicalize(input)); // not text: left alone, it matches nothing
    }

    [Fact]
    public void APairedSurrogate_IsText()
    {
        Assert.True(TextRules.CanonicalName("party 🎉", "name").IsValid);
        Assert.Null(TextRules.FindUnstorable("🎉", "f"));
    }
}
