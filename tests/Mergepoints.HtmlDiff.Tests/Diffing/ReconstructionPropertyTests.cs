using FsCheck;
using FsCheck.Fluent;
using Mergepoints.HtmlDiff.Diffing;

namespace Mergepoints.HtmlDiff.Tests.Diffing;

/// <summary>
/// The property that holds for every input, checked on generated documents: drop every <c>&lt;ins&gt;</c> with
/// its content and unwrap every <c>&lt;del&gt;</c>, and the old document's words remain; the other way round,
/// the new document's. And the markup is sound (see <see cref="DiffOutput.Problems"/>).
/// </summary>
public sealed class ReconstructionPropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(400).WithEndSize(100);

    [Fact]
    public void Both_documents_read_back_from_every_diff_of_generated_documents() =>
        Check.One(Runs, Prop.ForAll(GeneratedDocuments.Pairs(), pair =>
        {
            var result = HtmlDiffer.Diff(pair.Old, pair.New, cancellationToken: TestContext.Current.CancellationToken);
            DiffOutput.AssertSound(pair.Old, pair.New, result.Html);
        }));

    [Fact]
    public void Both_documents_read_back_when_whitespace_changes_are_shown() =>
        Check.One(Runs, Prop.ForAll(GeneratedDocuments.Pairs(), pair =>
        {
            var result = HtmlDiffer.Diff(pair.Old, pair.New, new HtmlDiffOptions { ShowWhitespaceChanges = true }, TestContext.Current.CancellationToken);
            DiffOutput.AssertSound(pair.Old, pair.New, result.Html);
        }));

    [Fact]
    public void Both_documents_read_back_when_the_diff_falls_back_to_coarse() =>
        Check.One(Runs, Prop.ForAll(GeneratedDocuments.Pairs(), pair =>
        {
            var result = HtmlDiffer.Diff(pair.Old, pair.New, new HtmlDiffOptions { MaxEditDistance = 2 }, TestContext.Current.CancellationToken);
            DiffOutput.AssertSound(pair.Old, pair.New, result.Html);
        }));
}
