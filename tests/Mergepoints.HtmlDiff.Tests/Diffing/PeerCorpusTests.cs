using System.Text.Json;
using Mergepoints.HtmlDiff.Diffing;

namespace Mergepoints.HtmlDiff.Tests.Diffing;

/// <summary>
/// The 140 input pairs of seven peer libraries' test suites (Corpus/README.md): whatever each peer expected,
/// our output for every pair must read back as both documents and be sound markup.
/// </summary>
public sealed class PeerCorpusTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly Lazy<List<CorpusCase>> Cases = new(() =>
        JsonSerializer.Deserialize<List<CorpusCase>>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Corpus", "htmldiff_cases.json")), Json)!);

    public static TheoryData<int, string> Pairs()
    {
        var data = new TheoryData<int, string>();
        foreach (var (index, corpusCase) in Cases.Value.Index())
        {
            data.Add(index, corpusCase.Source);
        }
        return data;
    }

    [Fact]
    public void The_corpus_holds_all_140_pairs() => Assert.Equal(140, Cases.Value.Count);

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Every_peer_pair_reads_back_as_both_documents_in_sound_markup(int index, string source)
    {
        var corpusCase = Cases.Value[index];

        var result = HtmlDiffer.Diff(corpusCase.Old, corpusCase.New, cancellationToken: TestContext.Current.CancellationToken);

        DiffOutput.AssertSound(corpusCase.Old, corpusCase.New, result.Html);
        Assert.NotNull(source);
    }

    [Fact]
    public void The_pairs_of_the_library_whose_format_we_share_come_out_as_it_expects()
    {
        var shared = Cases.Value.Where(c => c.Source.StartsWith("mitsuhiko/htmldiff", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(shared);
        foreach (var corpusCase in shared)
        {
            Assert.Equal(corpusCase.Expected, HtmlDiffer.Diff(corpusCase.Old, corpusCase.New, cancellationToken: TestContext.Current.CancellationToken).Html);
        }
    }

    private sealed record CorpusCase(string Source, string Old, string New, string Expected);
}
