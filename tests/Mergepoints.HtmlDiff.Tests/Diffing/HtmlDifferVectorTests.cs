using Mergepoints.HtmlDiff.Diffing;

namespace Mergepoints.HtmlDiff.Tests.Diffing;

/// <summary>The three examples of mitsuhiko/htmldiff, whose output format ours shares: they hold exactly.</summary>
public sealed class HtmlDifferVectorTests
{
    [Theory]
    [InlineData("Foo <b>bar</b> baz", "Foo <i>bar</i> baz", "<div class=\"diff\">Foo <i class=\"tagdiff_replaced\">bar</i> baz</div>")]
    [InlineData("Foo bar baz", "Foo baz", "<div class=\"diff\">Foo <del>bar</del> baz</div>")]
    [InlineData("Foo baz", "Foo blah baz", "<div class=\"diff\">Foo <ins>blah</ins> baz</div>")]
    public void The_reference_examples_come_out_exactly(string oldHtml, string newHtml, string expected)
    {
        var result = HtmlDiffer.Diff(oldHtml, newHtml, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(expected, result.Html);
        Assert.False(result.Coarse);
    }
}
