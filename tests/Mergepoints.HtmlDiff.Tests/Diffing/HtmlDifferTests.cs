using Mergepoints.HtmlDiff.Diffing;

namespace Mergepoints.HtmlDiff.Tests.Diffing;

/// <summary>What a reader of a diff sees, case by case; every output is also checked by <see cref="DiffOutput.AssertSound"/>.</summary>
public sealed class HtmlDifferTests
{
    private static HtmlDiffResult Diff(string oldHtml, string newHtml, HtmlDiffOptions? options = null)
    {
        var result = HtmlDiffer.Diff(oldHtml, newHtml, options, TestContext.Current.CancellationToken);
        DiffOutput.AssertSound(oldHtml, newHtml, result.Html);
        return result;
    }

    [Fact]
    public void Identical_documents_come_out_unmarked()
    {
        const string html = "<h1>Title</h1><p>Some <b>bold</b> text &amp; an <a href=\"x\">a link</a>.</p><ul><li>one</li></ul>";

        var result = Diff(html, html);

        Assert.Equal("<div class=\"diff\">" + html + "</div>", result.Html);
        Assert.Empty(result.Changes);
        Assert.False(result.Coarse);
    }

    [Fact]
    public void Two_empty_documents_give_an_empty_diff() =>
        Assert.Equal("<div class=\"diff\"></div>", Diff("", "").Html);

    [Fact]
    public void Everything_is_inserted_into_an_empty_document()
    {
        var result = Diff("", "<p>Hello <b>world</b></p>");

        Assert.Equal("<div class=\"diff\"><ins><p>Hello <b>world</b></p></ins></div>", result.Html);
        Assert.Equal(new HtmlChange(HtmlChangeKind.Inserted, null, "<p>Hello <b>world</b></p>", null), Assert.Single(result.Changes));
    }

    [Fact]
    public void Everything_is_deleted_when_the_new_document_is_empty() =>
        Assert.Equal("<div class=\"diff\"><del><p>Hello</p></del></div>", Diff("<p>Hello</p>", "").Html);

    [Fact]
    public void A_word_changed_inside_nested_tags_is_marked_there()
    {
        var result = Diff("<div><p>One <b>two <i>three</i></b></p></div>", "<div><p>One <b>two <i>four</i></b></p></div>");

        Assert.Equal("<div class=\"diff\"><div><p>One <b>two <i><del>three</del><ins>four</ins></i></b></p></div></div>", result.Html);
        Assert.Equal(
            [new HtmlChange(HtmlChangeKind.Deleted, "three", null, "i"), new HtmlChange(HtmlChangeKind.Inserted, null, "four", "i")],
            result.Changes);
    }

    [Fact]
    public void An_attribute_changed_shows_its_old_value()
    {
        var result = Diff("<a href=\"old.html\">link</a>", "<a href=\"new.html\">link</a>");

        Assert.Equal("<div class=\"diff\"><a href=\"new.html\" class=\"tagdiff_changed\" data-diff-old-href=\"old.html\">link</a></div>", result.Html);
        Assert.Equal(HtmlChangeKind.AttributesChanged, Assert.Single(result.Changes).Kind);
    }

    [Fact]
    public void Attributes_added_and_removed_are_named()
    {
        var result = Diff("<p class=\"a\" title=\"t\">x</p>", "<p class=\"a\" id=\"n\">x</p>");

        Assert.Equal("<div class=\"diff\"><p class=\"a tagdiff_changed\" id=\"n\" data-diff-old-title=\"t\" data-diff-added=\"id\">x</p></div>", result.Html);
    }

    [Fact]
    public void Reordered_attributes_are_not_a_change()
    {
        var result = Diff("<p class=\"a\" id=\"b\" title=\"c\">x</p>", "<p title=\"c\" id=\"b\" class=\"a\">x</p>");

        Assert.DoesNotContain("tagdiff", result.Html);
        Assert.Empty(result.Changes);
    }

    [Fact]
    public void Entities_come_out_escaped_in_text_and_attributes()
    {
        var result = Diff("<p title=\"a &amp; &quot;b&quot;\">x &lt; y &amp; z</p>", "<p title=\"a &amp; &quot;c&quot;\">x &lt; y &amp; w &gt; v&nbsp;u</p>");

        Assert.Equal(
            "<div class=\"diff\"><p title=\"a &amp; &quot;c&quot;\" class=\"tagdiff_changed\" data-diff-old-title=\"a &amp; &quot;b&quot;\">x &lt; y &amp; <del>z</del><ins>w &gt; v&nbsp;u</ins></p></div>",
            result.Html);
    }

    [Fact]
    public void Whitespace_only_changes_are_not_changes()
    {
        var result = Diff("<p>one two   three</p>\n<p>four</p>", "<p>\n  one\ttwo three\n</p><p>four </p>");

        Assert.DoesNotContain("<ins", result.Html);
        Assert.DoesNotContain("<del", result.Html);
        Assert.Empty(result.Changes);
    }

    [Fact]
    public void Whitespace_changes_are_shown_when_asked_for()
    {
        var result = Diff("<p>one two</p>", "<p>one  two</p>", new HtmlDiffOptions { ShowWhitespaceChanges = true });

        Assert.Equal("<div class=\"diff\"><p>one<del> two</del><ins>  two</ins></p></div>", result.Html);
    }

    [Fact]
    public void Whitespace_inside_pre_counts() =>
        Assert.Equal(
            "<div class=\"diff\"><pre>a = 1<del>\n  b</del><ins>\n    b</ins> = 2</pre></div>",
            Diff("<pre>a = 1\n  b = 2</pre>", "<pre>a = 1\n    b = 2</pre>").Html);

    [Fact]
    public void A_word_changed_inside_pre_keeps_the_same_whitespace_outside_the_markers() =>
        Assert.Equal(
            "<div class=\"diff\"><pre>x =  <del>first</del><ins>second</ins>  y</pre></div>",
            Diff("<pre>x =  first  y</pre>", "<pre>x =  second  y</pre>").Html);

    [Fact]
    public void A_changed_cell_is_marked_inside_the_cell()
    {
        var result = Diff(
            "<table><tr><td>a</td><td>b</td></tr></table>",
            "<table><tr><td>a</td><td>c</td></tr></table>");

        Assert.Equal("<div class=\"diff\"><table><tbody><tr><td>a</td><td><del>b</del><ins>c</ins></td></tr></tbody></table></div>", result.Html);
    }

    [Fact]
    public void An_added_row_is_marked_on_its_cells()
    {
        var result = Diff(
            "<table><tr><td>a</td><td>b</td></tr></table>",
            "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>");

        Assert.Equal(
            "<div class=\"diff\"><table><tbody><tr><td>a</td><td>b</td></tr><tr class=\"tagdiff_inserted\"><td><ins>c</ins></td><td><ins>d</ins></td></tr></tbody></table></div>",
            result.Html);
    }

    [Fact]
    public void A_deleted_row_is_marked_on_its_cells()
    {
        var result = Diff(
            "<table><tr><td>a</td></tr><tr><td>b</td></tr></table>",
            "<table><tr><td>a</td></tr></table>");

        Assert.Equal(
            "<div class=\"diff\"><table><tbody><tr><td>a</td></tr><tr class=\"tagdiff_deleted\"><td><del>b</del></td></tr></tbody></table></div>",
            result.Html);
    }

    [Fact]
    public void An_added_column_is_marked_in_each_row()
    {
        var result = Diff(
            "<table><tr><th>h1</th></tr><tr><td>a</td></tr></table>",
            "<table><tr><th>h1</th><th>h2</th></tr><tr><td>a</td><td>b</td></tr></table>");

        Assert.Equal(
            "<div class=\"diff\"><table><tbody><tr><th>h1</th><th class=\"tagdiff_inserted\"><ins>h2</ins></th></tr><tr><td>a</td><td class=\"tagdiff_inserted\"><ins>b</ins></td></tr></tbody></table></div>",
            result.Html);
    }

    [Fact]
    public void List_items_added_and_removed_are_marked_inside_the_items()
    {
        var result = Diff("<ul><li>one</li><li>two</li></ul>", "<ul><li>one</li><li>three</li><li>two</li></ul>");

        Assert.Equal("<div class=\"diff\"><ul><li>one</li><li class=\"tagdiff_inserted\"><ins>three</ins></li><li>two</li></ul></div>", result.Html);
    }

    [Fact]
    public void An_image_whose_source_changed_is_the_old_deleted_and_the_new_inserted() =>
        Assert.Equal(
            "<div class=\"diff\"><p>x<del><img src=\"a.png\"></del><ins><img src=\"b.png\"></ins></p></div>",
            Diff("<p>x<img src=\"a.png\"></p>", "<p>x<img src=\"b.png\"></p>").Html);

    [Fact]
    public void An_image_whose_other_attributes_changed_is_marked_as_changed() =>
        Assert.Equal(
            "<div class=\"diff\"><p>x<img src=\"a.png\" alt=\"new\" class=\"tagdiff_changed\" data-diff-old-alt=\"old\"></p></div>",
            Diff("<p>x<img src=\"a.png\" alt=\"old\"></p>", "<p>x<img src=\"a.png\" alt=\"new\"></p>").Html);

    [Fact]
    public void Comments_are_never_marked_but_are_listed()
    {
        var result = Diff("<p>a<!-- old --> b</p>", "<p>a<!-- new --> b</p>");

        Assert.Equal("<div class=\"diff\"><p>a<!-- new --> b</p></div>", result.Html);
        Assert.Equal(
            [new HtmlChange(HtmlChangeKind.Deleted, "<!-- old -->", null, "p"), new HtmlChange(HtmlChangeKind.Inserted, null, "<!-- new -->", "p")],
            result.Changes);
    }

    [Fact]
    public void A_changed_script_is_deleted_and_inserted_whole_never_marked_inside()
    {
        var result = Diff("<p>x</p><script>var a = 1 < 2;</script>", "<p>x</p><script>var a = 2 < 3;</script>");

        Assert.Equal("<div class=\"diff\"><p>x</p><del><script>var a = 1 < 2;</script></del><ins><script>var a = 2 < 3;</script></ins></div>", result.Html);
    }

    [Fact]
    public void Unicode_words_are_diffed_as_words()
    {
        var result = Diff("<p>Привет, как дела? 日本語 שלום</p>", "<p>Привет, хорошо дела? 日本語 שלום עולם</p>");

        Assert.Equal("<div class=\"diff\"><p>Привет, <del>как</del><ins>хорошо</ins> дела? 日本語 שלום<ins> עולם</ins></p></div>", result.Html);
    }

    [Fact]
    public void Misnested_markup_is_repaired_before_it_is_diffed()
    {
        var result = Diff("<p><b>bold <i>both</b> italic</i></p>", "<p><b>bold <i>both</i></b><i> italic</i></p>");

        Assert.DoesNotContain("<ins", result.Html);
        Assert.DoesNotContain("<del", result.Html);
    }

    [Fact]
    public void A_paragraph_added_between_two_is_inserted_whole()
    {
        var result = Diff("<p>first</p><p>third</p>", "<p>first</p><p>second</p><p>third</p>");

        Assert.Equal("<div class=\"diff\"><p>first</p><ins><p>second</p></ins><p>third</p></div>", result.Html);
    }

    [Fact]
    public void Words_made_bold_show_the_new_element_as_inserted()
    {
        var result = Diff("<p>a b c</p>", "<p>a <strong>b</strong> c</p>");

        Assert.Equal("<div class=\"diff\"><p>a <strong class=\"tagdiff_inserted\">b</strong> c</p></div>", result.Html);
        Assert.Equal(new HtmlChange(HtmlChangeKind.Inserted, null, "<strong>", "p"), Assert.Single(result.Changes));
    }

    [Fact]
    public void Bold_removed_keeps_the_words_and_lists_the_tag_as_deleted()
    {
        var result = Diff("<p>a <strong>b</strong> c</p>", "<p>a b c</p>");

        Assert.Equal("<div class=\"diff\"><p>a b c</p></div>", result.Html);
        Assert.Equal(new HtmlChange(HtmlChangeKind.Deleted, "<strong>", null, "p"), Assert.Single(result.Changes));
    }

    [Fact]
    public void A_paragraph_split_in_two_shows_the_second_as_new()
    {
        var result = Diff("<p>one two</p>", "<p>one</p><p>two</p>");

        Assert.Equal("<div class=\"diff\"><p>one</p><p class=\"tagdiff_inserted\">two</p></div>", result.Html);
    }

    [Fact]
    public void Completely_different_documents_fall_back_to_a_coarse_diff()
    {
        var oldWords = string.Join(' ', Enumerable.Range(0, 1500).Select(i => "old" + i));
        var newWords = string.Join(' ', Enumerable.Range(0, 1500).Select(i => "new" + i));

        var result = Diff($"<p>{oldWords}</p>", $"<p>{newWords}</p>");

        Assert.True(result.Coarse);
        Assert.Equal($"<div class=\"diff\" data-diff-coarse=\"true\"><p><del>{oldWords}</del><ins>{newWords}</ins></p></div>", result.Html);
    }

    [Fact]
    public void A_small_edit_budget_makes_a_small_rewrite_coarse()
    {
        var result = Diff("<p>one two three four</p>", "<p>five six seven eight</p>", new HtmlDiffOptions { MaxEditDistance = 4 });

        Assert.True(result.Coarse);
        Assert.StartsWith("<div class=\"diff\" data-diff-coarse=\"true\">", result.Html);
    }

    [Fact]
    public void Reordered_repeated_words_beyond_the_budget_are_coarse_too()
    {
        // The same words on both sides, so counting them cannot tell the distance: the bounded search must.
        var result = Diff("<p>a a a a a b b b b b</p>", "<p>b b b b b a a a a a</p>", new HtmlDiffOptions { MaxEditDistance = 4 });

        Assert.True(result.Coarse);
        Assert.Equal("<div class=\"diff\" data-diff-coarse=\"true\"><p><del>a a a a a b b b b b</del><ins>b b b b b a a a a a</ins></p></div>", result.Html);
    }

    [Fact]
    public void Reordered_repeated_words_within_the_budget_are_diffed_word_by_word() =>
        Assert.False(Diff("<p>a a a a a b b b b b</p>", "<p>b b b b b a a a a a</p>", new HtmlDiffOptions { MaxEditDistance = 10 }).Coarse);

    [Fact]
    public void Words_with_one_anchor_at_each_level_are_diffed_without_exhausting_the_stack()
    {
        // Each pass finds one word unique on both sides, and cutting there leaves the same shape one word
        // shorter: without a limit this nests 50,000 deep.
        const int n = 50_000;
        var oldWords = string.Join(' ', Enumerable.Range(0, n).Select(i => $"w{i + 1} w{i}"));
        var newWords = string.Join(' ', Enumerable.Range(0, n).Select(i => $"x{i} w{i}"));

        var result = Diff($"<p>{oldWords}</p>", $"<p>{newWords}</p>");

        Assert.StartsWith("<div class=\"diff\"", result.Html);
    }

    [Fact]
    public void Space_between_elements_of_an_inserted_paragraph_is_kept() =>
        Assert.Equal(
            "<div class=\"diff\"><p>a</p><ins><p><b>Hello</b> <b>world</b></p></ins></div>",
            Diff("<p>a</p>", "<p>a</p><p><b>Hello</b> <b>world</b></p>").Html);

    [Fact]
    public void Space_between_elements_of_a_deleted_paragraph_is_kept() =>
        Assert.Equal(
            "<div class=\"diff\"><p>a</p><del><p><b>Hello</b> <b>world</b></p></del></div>",
            Diff("<p>a</p><p><b>Hello</b> <b>world</b></p>", "<p>a</p>").Html);

    [Fact]
    public void Space_before_an_inserted_element_that_follows_another_is_kept() =>
        Assert.Equal(
            "<div class=\"diff\"><p>x <ins><b>Hello</b> <i>world</i></ins></p></div>",
            Diff("<p>x</p>", "<p>x <b>Hello</b> <i>world</i></p>").Html);

    [Fact]
    public void Space_before_a_deleted_element_that_follows_another_is_kept() =>
        Assert.Equal(
            "<div class=\"diff\"><p>x<del><b>Hello</b> <i>world</i></del></p></div>",
            Diff("<p>x <b>Hello</b> <i>world</i></p>", "<p>x</p>").Html);

    [Fact]
    public void Space_before_an_inserted_image_that_follows_an_element_is_kept() =>
        Assert.Equal(
            "<div class=\"diff\"><p>x <ins><b>Hello</b> <img src=\"a.png\"></ins></p></div>",
            Diff("<p>x</p>", "<p>x <b>Hello</b> <img src=\"a.png\"></p>").Html);

    [Fact]
    public void Deleted_plaintext_is_shown_as_preformatted_text_so_the_rest_stays_markup() =>
        Assert.Equal(
            "<div class=\"diff\"><p>a</p><del><pre>\nz &lt;b&gt;</pre></del><ins><p>b</p></ins></div>",
            Diff("<p>a</p><plaintext>z <b>", "<p>a</p><p>b</p>").Html);

    [Theory]
    [InlineData("basefont")]
    [InlineData("bgsound")]
    public void Obsolete_void_elements_get_no_end_tag(string name) =>
        Assert.Equal(
            $"<div class=\"diff\"><p>x<ins><{name} title=\"t\"></ins></p></div>",
            Diff("<p>x</p>", $"<p>x<{name} title=\"t\"></p>").Html);

    [Theory]
    [InlineData("template")]
    [InlineData("svg")]
    public void Markup_nested_too_deep_inside_an_element_compared_whole_is_refused(string name)
    {
        var inner = name == "svg" ? "g" : name;
        var html = $"<p>x</p><{name}>" + string.Concat(Enumerable.Repeat($"<{inner}>", 100_000)) + "y";

        var e = Assert.Throws<HtmlNestingException>(() => HtmlDiffer.Diff("<p>x</p>", html, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains(name, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Templates_nested_a_few_deep_are_diffed() =>
        Assert.Contains(
            "<ins><template><template><template>y</template></template></template></ins>",
            Diff("<p>x</p>", "<p>x</p><template><template><template>y</template></template></template>").Html,
            StringComparison.Ordinal);

    [Fact]
    public void A_negative_edit_budget_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => HtmlDiffer.Diff("a", "b", new HtmlDiffOptions { MaxEditDistance = -1 }, TestContext.Current.CancellationToken));

    [Fact]
    public void A_cancelled_diff_stops()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => HtmlDiffer.Diff("<p>a</p>", "<p>b</p>", cancellationToken: cancelled.Token));
    }
}
