using System.Globalization;
using System.Text;

namespace Mergepoints.Bench.HtmlDiff;

/// <summary>
/// The documents the bench diffs, generated from a seed so every run (and every machine) diffs the same
/// bytes: articles of headings, paragraphs with inline markup and links, lists and tables, and a copy of each
/// with a given share of its words replaced, deleted or inserted.
/// </summary>
internal sealed class BenchDocuments
{
    /// <summary>One pair: its name (the file stem), and the two documents.</summary>
    public sealed record Pair(string Name, string Old, string New);

    /// <summary>Sizes of the similar pairs, and the share of words changed in each.</summary>
    public static readonly (string Name, int Bytes)[] Sizes = [("10KB", 10_000), ("100KB", 100_000), ("1MB", 1_000_000), ("10MB", 10_000_000)];

    public const double ChangedShare = 0.01;

    private readonly Random random;
    private readonly string[] vocabulary;

    private BenchDocuments(int seed, string consonants)
    {
        random = new Random(seed);
        // 3000 words of two to four syllables; a pair that must share nothing draws from other consonants.
        const string vowels = "aeiou";
        var words = new HashSet<string>();
        while (words.Count < 3000)
        {
            var word = new StringBuilder();
            for (var s = random.Next(2, 5); s > 0; s--)
            {
                word.Append(consonants[random.Next(consonants.Length)]).Append(vowels[random.Next(vowels.Length)]);
            }
            words.Add(word.ToString());
        }
        vocabulary = [.. words];
    }

    /// <summary>All pairs: the similar ones by size, then <c>dissimilar-100KB</c>.</summary>
    public static IEnumerable<Pair> All()
    {
        foreach (var (name, bytes) in Sizes)
        {
            yield return Similar(name, bytes);
        }
        yield return Dissimilar();
    }

    /// <summary>A document of about <paramref name="bytes"/> and a copy with 1% of its words changed.</summary>
    public static Pair Similar(string name, int bytes)
    {
        var documents = new BenchDocuments(seed: bytes, "bcdfghklmnprstvz");
        var tokens = documents.Article(bytes);
        return new Pair(name, Render(tokens), Render(documents.Changed(tokens, ChangedShare)));
    }

    /// <summary>Two documents of about 100 KB that share no word: the matcher's worst case.</summary>
    public static Pair Dissimilar() => new(
        "dissimilar-100KB",
        Render(new BenchDocuments(seed: 1, "bcdfghklmnprstvz").Article(100_000)),
        Render(new BenchDocuments(seed: 2, "BCDFGHKLMNPRSTVZ").Article(100_000)));

    /// <summary>An article as tokens: markup (starting with '&lt;') and words.</summary>
    private List<string> Article(int bytes)
    {
        var tokens = new List<string>();
        var size = 0;
        var block = 0;
        while (size < bytes)
        {
            var start = tokens.Count;
            switch (block++ % 10)
            {
                case 0:
                    Element(tokens, "h2", random.Next(3, 7));
                    break;
                case 4:
                    tokens.Add("<ul>");
                    for (var item = random.Next(3, 7); item > 0; item--)
                    {
                        Element(tokens, "li", random.Next(5, 16));
                    }
                    tokens.Add("</ul>");
                    break;
                case 7:
                    tokens.Add("<table class=\"data\"><tbody>");
                    for (var row = random.Next(3, 9); row > 0; row--)
                    {
                        tokens.Add("<tr>");
                        for (var cell = 0; cell < 3; cell++)
                        {
                            Element(tokens, "td", random.Next(1, 5));
                        }
                        tokens.Add("</tr>");
                    }
                    tokens.Add("</tbody></table>");
                    break;
                default:
                    Element(tokens, "p", random.Next(40, 101));
                    break;
            }
            tokens.Add("\n");
            for (var i = start; i < tokens.Count; i++)
            {
                size += tokens[i].Length + 1;
            }
        }
        return tokens;
    }

    /// <summary>An element with words, some of them in inline markup or a link.</summary>
    private void Element(List<string> tokens, string name, int words)
    {
        tokens.Add("<" + name + ">");
        for (var w = 0; w < words; w++)
        {
            var roll = random.Next(40);
            if (roll == 0 && words - w > 3)
            {
                var tag = random.Next(2) == 0 ? "b" : "i";
                tokens.Add("<" + tag + ">");
                tokens.Add(Word());
                tokens.Add(Word());
                tokens.Add("</" + tag + ">");
                w++;
            }
            else if (roll == 1 && words - w > 3)
            {
                tokens.Add("<a href=\"https://example.org/" + random.Next(10_000).ToString(CultureInfo.InvariantCulture) + "\">");
                tokens.Add(Word());
                tokens.Add("</a>");
            }
            else
            {
                tokens.Add(Word());
            }
        }
        tokens.Add("</" + name + ">");
    }

    private string Word() => random.Next(60) == 0 ? "&amp;" : vocabulary[random.Next(vocabulary.Length)];

    /// <summary>A copy with <paramref name="share"/> of the words replaced, deleted, or joined by a new one.</summary>
    private List<string> Changed(List<string> tokens, double share)
    {
        var changed = new List<string>(tokens.Count);
        foreach (var token in tokens)
        {
            if (token.StartsWith('<') || token == "\n" || random.NextDouble() >= share)
            {
                changed.Add(token);
                continue;
            }
            switch (random.Next(4))
            {
                case 0:
                    break;
                case 1:
                    changed.Add(token);
                    changed.Add(Word());
                    break;
                default:
                    changed.Add(Word());
                    break;
            }
        }
        return changed;
    }

    private static string Render(List<string> tokens)
    {
        var html = new StringBuilder();
        var afterWord = false;
        foreach (var token in tokens)
        {
            var inlineStart = token is "<b>" or "<i>" || token.StartsWith("<a ", StringComparison.Ordinal);
            var inlineEnd = token is "</b>" or "</i>" or "</a>";
            var word = !token.StartsWith('<') && token != "\n";
            if ((word || inlineStart) && afterWord)
            {
                html.Append(' ');
            }
            html.Append(token);
            afterWord = word || inlineEnd;
        }
        return html.ToString();
    }
}
