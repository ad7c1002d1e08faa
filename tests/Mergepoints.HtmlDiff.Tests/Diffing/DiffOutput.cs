using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html;
using AngleSharp.Html.Parser;
using AngleSharp.Html.Parser.Tokens;
using AngleSharp.Text;

namespace Mergepoints.HtmlDiff.Tests.Diffing;

/// <summary>
/// Reads a diff's output back, for the checks every test shares: what the old and new documents' words are,
/// and what is wrong with the markup.
/// </summary>
internal static class DiffOutput
{
    private static readonly HtmlParser Parser = new();

    private static readonly HashSet<string> NoMarkerParents = ["table", "thead", "tbody", "tfoot", "tr", "ul", "ol"];

    private static readonly HashSet<string> Void =
        ["area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param", "source", "track", "wbr", "frame", "basefont", "bgsound"];

    /// <summary>Which document to read back from a diff: markers of the other side dropped, markers of this side unwrapped.</summary>
    public enum Side
    {
        Old,
        New,
    }

    /// <summary>
    /// A source document's text as words: text nodes in document order (head, then body), whitespace runs one
    /// space, and the edge of every element or comment a word break too. So whitespace-only changes do not
    /// change the words (reindenting, or a space more or less next to a tag, which the diff does not mark),
    /// while every word and every word break inside a text do.
    /// </summary>
    public static string Words(string html)
    {
        using var document = Parser.ParseDocument(html);
        var text = new StringBuilder();
        if (document.Head is { } head)
        {
            Collect(head, null, text);
        }
        if (document.Body is { } body)
        {
            Collect(body, null, text);
        }
        return Normalize(text.ToString());
    }

    /// <summary>
    /// One side read back from a diff: for the old side every <c>&lt;ins&gt;</c> dropped with its content and
    /// every <c>&lt;del&gt;</c> unwrapped, for the new side the other way round; then words as in
    /// <see cref="Words"/>.
    /// </summary>
    public static string Words(string diff, Side side)
    {
        using var document = Parser.ParseDocument(diff);
        var wrapper = document.Body!.FirstElementChild!;
        Assert.Equal("diff", wrapper.ClassName?.Split(' ')[0]);
        var text = new StringBuilder();
        Collect(wrapper, side, text);
        return Normalize(text.ToString());
    }

    private static void Collect(INode node, Side? side, StringBuilder text)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText t:
                    text.Append(t.Data);
                    break;
                case IElement element:
                    var name = element.LocalName;
                    if (side is not null && name is "ins" or "del")
                    {
                        if ((name == "ins") == (side == Side.New))
                        {
                            Collect(element, side, text);
                        }
                        break;
                    }
                    text.Append(' ');
                    Collect(element, side, text);
                    text.Append(' ');
                    break;
                case IComment:
                    text.Append(' ');
                    break;
            }
        }
    }

    private static string Normalize(string text) =>
        string.Join(' ', text.Split([' ', '\t', '\n', '\r', '\f'], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>
    /// What is wrong with a diff's markup, checked by a stack of open elements over AngleSharp's tokenizer (no
    /// tree builder, so nothing is repaired): every element closed by its own end tag in order, nothing closed
    /// that is not open, nothing left open; no <c>&lt;ins&gt;</c>/<c>&lt;del&gt;</c> empty, inside another, or
    /// directly inside table structure or a list; no marker text inside script or style (the tokenizer reads
    /// those as raw text, so a marker there shows as its markup in their text).
    /// </summary>
    public static List<string> Problems(string diff, params string[] inputs)
    {
        var problems = new List<string>();
        var open = new List<string>();
        var markerEmpty = new List<bool>();
        var tokenizer = new HtmlTokenizer(new TextSource(diff), HtmlEntityProvider.Resolver);
        var inputsHaveMarkers = inputs.Any(i => i.Contains("<ins", StringComparison.OrdinalIgnoreCase) || i.Contains("<del", StringComparison.OrdinalIgnoreCase));
        while (true)
        {
            var token = tokenizer.Get();
            switch (token.Type)
            {
                case HtmlTokenType.EndOfFile:
                    if (open.Count > 0)
                    {
                        problems.Add($"left open: {string.Join(" > ", open)}");
                    }
                    return problems;
                case HtmlTokenType.Character:
                    if (markerEmpty.Count > 0 && token.Data.Length > 0)
                    {
                        markerEmpty[^1] = false;
                    }
                    var parent = open.Count > 0 ? open[^1] : "";
                    if (parent is "script" or "style" && !inputsHaveMarkers &&
                        (token.Data.Contains("<ins", StringComparison.OrdinalIgnoreCase) || token.Data.Contains("<del", StringComparison.OrdinalIgnoreCase)))
                    {
                        problems.Add($"a marker inside {parent}: {token.Data}");
                    }
                    break;
                case HtmlTokenType.StartTag:
                    var start = (HtmlTagToken)token;
                    if (markerEmpty.Count > 0)
                    {
                        markerEmpty[^1] = false;
                    }
                    var inForeign = open.Contains("svg") || open.Contains("math");
                    if (start.Name is "ins" or "del")
                    {
                        if (open.Count > 0 && NoMarkerParents.Contains(open[^1]))
                        {
                            problems.Add($"<{start.Name}> directly inside <{open[^1]}>");
                        }
                        if (open.Contains("ins") || open.Contains("del"))
                        {
                            problems.Add($"<{start.Name}> inside another marker");
                        }
                        markerEmpty.Add(true);
                    }
                    if (Void.Contains(start.Name) || (inForeign && start.IsSelfClosing))
                    {
                        break;
                    }
                    open.Add(start.Name);
                    tokenizer.State = start.Name switch
                    {
                        "script" => HtmlParseMode.Script,
                        "style" or "xmp" or "iframe" or "noembed" or "noframes" => HtmlParseMode.Rawtext,
                        "textarea" or "title" => HtmlParseMode.RCData,
                        "plaintext" => HtmlParseMode.Plaintext,
                        _ => HtmlParseMode.PCData,
                    };
                    break;
                case HtmlTokenType.EndTag:
                    var end = (HtmlTagToken)token;
                    if (open.Count == 0 || open[^1] != end.Name)
                    {
                        problems.Add($"</{end.Name}> closes {(open.Count == 0 ? "nothing" : "<" + open[^1] + ">")}");
                        break;
                    }
                    open.RemoveAt(open.Count - 1);
                    if (end.Name is "ins" or "del")
                    {
                        if (markerEmpty[^1])
                        {
                            problems.Add($"an empty <{end.Name}>");
                        }
                        markerEmpty.RemoveAt(markerEmpty.Count - 1);
                        if (markerEmpty.Count > 0)
                        {
                            markerEmpty[^1] = false;
                        }
                    }
                    break;
            }
        }
    }

    /// <summary>Everything every diff must satisfy, asserted with the inputs in the message.</summary>
    public static void AssertSound(string oldHtml, string newHtml, string diff)
    {
        var problems = Problems(diff, oldHtml, newHtml);
        Assert.True(problems.Count == 0, $"{string.Join("; ", problems)}\nold: {oldHtml}\nnew: {newHtml}\ndiff: {diff}");
        Assert.True(Words(oldHtml) == Words(diff, Side.Old), $"the old side does not read back\nold: {oldHtml}\nnew: {newHtml}\ndiff: {diff}\nexpected: {Words(oldHtml)}\nactual:   {Words(diff, Side.Old)}");
        Assert.True(Words(newHtml) == Words(diff, Side.New), $"the new side does not read back\nold: {oldHtml}\nnew: {newHtml}\ndiff: {diff}\nexpected: {Words(newHtml)}\nactual:   {Words(diff, Side.New)}");
    }
}
