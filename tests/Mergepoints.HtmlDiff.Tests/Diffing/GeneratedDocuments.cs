using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Mergepoints.HtmlDiff.Tests.Diffing;

/// <summary>
/// FsCheck generators of HTML documents and of pairs of them: an old document and a new one that is either an
/// edit of it (words, whitespace, tags, attributes, rows, cells, items changed) or a document of its own.
/// Documents mix nested inline and block elements, attributes, tables, lists, entities, unicode, whitespace,
/// <c>&lt;pre&gt;</c>, scripts, styles, comments, images, and now and then markup a browser has to repair.
/// </summary>
internal static class GeneratedDocuments
{
    /// <summary>A pair to diff; printed as the two documents when a property fails.</summary>
    public sealed record Pair(string Old, string New)
    {
        public override string ToString() => $"\nold: {Old}\nnew: {New}";
    }

    private abstract record Node;

    private sealed record Element(string Name, (string Name, string Value)[] Attributes, Node[] Children) : Node;

    /// <summary>Words (HTML source, entities included) and the whitespace around and between them (one more than the words).</summary>
    private sealed record Text(string[] Words, string[] Spaces) : Node;

    /// <summary>Markup written as it is: void elements, scripts, comments, misnested fragments.</summary>
    private sealed record Raw(string Html) : Node;

    private static readonly string[] Vocabulary =
    [
        "alpha", "beta", "gamma", "delta", "one", "two", "three", "the", "a", "fox", "&amp;", "&lt;b&gt;", "caf&eacute;",
        "na&iuml;ve", "x&nbsp;y", "&copy;", "&#8364;5", "日本語", "Привет", "שלום", "—", "\"quoted\"", "it's", "a&gt;b",
    ];

    private static readonly string[] Spaces = [" ", " ", " ", "  ", "\n", "\t", "\n  "];

    private static readonly string[] RawPieces =
    [
        "<br>", "<hr>", "<img src=\"a.png\" alt=\"A\">", "<img src=\"b.png\">", "<img alt=\"x &amp; y\" src=\"a.png\">",
        "<!-- a comment -->", "<!-- another -->", "<script>if (a < b && c) { x = \"</p>\"; }</script>",
        "<script>var y = 2;</script>", "<style>p > b { color: red; }</style>", "<input type=\"text\" value=\"v\">",
        "<svg width=\"10\"><circle r=\"4\"></circle></svg>", "<textarea>some  text</textarea>",
        "<b>mis<i>nested</b> tags</i>", "<p>unclosed <p>paragraphs", "<table><tr><td>implied</table>", "</div>stray end",
    ];

    private static readonly Gen<string> Word = Gen.Elements(Vocabulary);
    private static readonly Gen<string> Space = Gen.Elements(Spaces);
    private static readonly Gen<string> EdgeSpace = Gen.Frequency((3, Gen.Constant("")), (1, Space));

    private static readonly Gen<Node> TextNode =
        from count in Gen.Choose(1, 6)
        from words in Gen.ArrayOf(Word, count)
        from inner in Gen.ArrayOf(Space, count - 1)
        from lead in EdgeSpace
        from trail in EdgeSpace
        select (Node)new Text(words, [lead, .. inner, trail]);

    private static readonly Gen<(string, string)[]> Attributes = Gen.Frequency(
        (3, Gen.Constant(Array.Empty<(string, string)>())),
        (1, Gen.SubListOf(new[] { ("class", "x"), ("id", "i1"), ("title", "t &amp; u"), ("data-k", "v") }).Select(l => l.ToArray())));

    /// <summary>The two documents as pairs: an edit of a document, or two documents of their own.</summary>
    public static Arbitrary<Pair> Pairs() => Gen.Sized(size => Document(Math.Clamp(size / 20, 1, 4)).SelectMany(old => Gen.Frequency(
            (6, Edit(old).Select(@new => new Pair(Render(old), Render(@new)))),
            (1, Document(2).Select(other => new Pair(Render(old), Render(other)))),
            (1, Gen.Constant(new Pair(Render(old), Render(old)))))))
        .ToArbitrary();

    private static Gen<Node[]> Document(int depth) =>
        from count in Gen.Choose(0, 5)
        from blocks in Gen.ArrayOf(Block(depth), count)
        select blocks;

    private static Gen<Node> Block(int depth)
    {
        var inlines = Inlines(depth);
        var options = new List<(int, Gen<Node>)>
        {
            (4, from name in Gen.Elements("p", "p", "h2", "blockquote") from a in Attributes from c in inlines select (Node)new Element(name, a, c)),
            (2, TextNode),
            (1, Gen.Elements(RawPieces).Select(h => (Node)new Raw(h))),
            (1, from text in TextNode select (Node)new Element("pre", [], [text])),
            (2, List(depth)),
            (2, Table(depth)),
        };
        if (depth > 1)
        {
            options.Add((2, from a in Attributes from count in Gen.Choose(1, 3) from c in Gen.ArrayOf(Block(depth - 1), count) select (Node)new Element("div", a, c)));
        }
        return Gen.Frequency(options.ToArray());
    }

    private static Gen<Node[]> Inlines(int depth) =>
        from count in Gen.Choose(1, 4)
        from nodes in Gen.ArrayOf(Inline(depth), count)
        select nodes;

    private static Gen<Node> Inline(int depth)
    {
        var options = new List<(int, Gen<Node>)>
        {
            (5, TextNode),
            (1, Gen.Elements("<br>", "<img src=\"a.png\">", "<img src=\"b.png\" alt=\"B\">", "<!-- c -->", "<code>x&lt;y</code>").Select(h => (Node)new Raw(h))),
        };
        if (depth > 0)
        {
            options.Add((3,
                from name in Gen.Elements("b", "i", "em", "strong", "span", "a", "sup")
                from a in name == "a" ? Gen.Elements("a.html", "b.html").Select(h => new[] { ("href", h) }) : Attributes
                from c in Inlines(depth - 1)
                select (Node)new Element(name, a, c)));
        }
        return Gen.Frequency(options.ToArray());
    }

    private static Gen<Node> List(int depth) =>
        from name in Gen.Elements("ul", "ol")
        from count in Gen.Choose(1, 4)
        from items in Gen.ArrayOf(Inlines(depth - 1).Select(c => (Node)new Element("li", [], c)), count)
        select (Node)new Element(name, [], items);

    private static Gen<Node> Table(int depth) =>
        from rows in Gen.Choose(1, 4)
        from columns in Gen.Choose(1, 3)
        from cells in Gen.ArrayOf(Gen.ArrayOf(Inlines(Math.Max(0, depth - 2)).Select(c => (Node)new Element("td", [], c)), columns), rows)
        from a in Attributes
        select (Node)new Element("table", a, [new Element("tbody", [], [.. cells.Select(r => (Node)new Element("tr", [], r))])]);

    /// <summary>The document edited here and there: each node kept, changed, dropped, or joined by a new one.</summary>
    private static Gen<Node[]> Edit(Node[] nodes) =>
        Gen.CollectToArray(nodes, EditNode).Select(edited => edited.SelectMany(n => n).ToArray()).SelectMany(edited => Gen.Frequency(
            (4, Gen.Constant(edited)),
            (1, Block(1).SelectMany(extra => Gen.Choose(0, edited.Length).Select(at => edited.Insert(at, extra))))));

    private static Gen<Node[]> EditNode(Node node) => node switch
    {
        Text text => Gen.Frequency(
            (5, Gen.Constant<Node[]>([text])),
            (3, EditText(text).Select(t => new Node[] { t })),
            (1, Gen.Constant<Node[]>([]))),
        Element element => Gen.Frequency(
            (5, Gen.CollectToArray(element.Children, EditNode).Select(c => new Node[] { element with { Children = [.. c.SelectMany(n => n)] } })),
            (1, Gen.Elements(Renames(element.Name)).Select(name => new Node[] { element with { Name = name } })),
            (1, Attributes.Select(a => new Node[] { element with { Attributes = a } })),
            (1, Gen.Constant(new Node[] { element with { Attributes = [.. element.Attributes.Reverse()] } })),
            (1, Gen.Constant(Unwrap(element))),
            (1, Gen.Constant<Node[]>([new Element("b", [], [element])])),
            (1, Gen.Constant<Node[]>([])),
            (1, Gen.Constant<Node[]>([element, element]))),
        _ => Gen.Frequency(
            (4, Gen.Constant<Node[]>([node])),
            (1, Gen.Elements(RawPieces).Select(h => new Node[] { new Raw(h) })),
            (1, Gen.Constant<Node[]>([]))),
    };

    /// <summary>Elements that may be unwrapped without breaking what holds them: not rows, cells or items.</summary>
    private static Node[] Unwrap(Element element) =>
        element.Name is "tr" or "td" or "li" or "tbody" ? [element] : element.Children;

    private static string[] Renames(string name) => name switch
    {
        "b" or "i" or "em" or "strong" or "span" => ["b", "i", "em", "strong", "span"],
        "p" or "h2" or "blockquote" or "div" => ["p", "h2", "blockquote", "div"],
        "ul" or "ol" => ["ul", "ol"],
        "td" or "th" => ["td", "th"],
        _ => [name],
    };

    private static Gen<Node> EditText(Text text) =>
        from at in Gen.Choose(0, text.Words.Length - 1)
        from word in Word
        from space in Space
        from kind in Gen.Choose(0, 3)
        select (Node)(kind switch
        {
            0 => text with { Words = text.Words.ToArray().Replace(at, word) },
            1 => new Text(text.Words.ToArray().Insert(at, word), text.Spaces.ToArray().Insert(at + 1, space)),
            2 when text.Words.Length > 1 => new Text(text.Words.ToArray().RemoveAt(at), text.Spaces.ToArray().RemoveAt(at + 1)),
            _ => text with { Spaces = text.Spaces.ToArray().Replace(at, space) },
        });

    private static T[] Insert<T>(this T[] items, int at, T item) => [.. items[..at], item, .. items[at..]];

    private static T[] Replace<T>(this T[] items, int at, T item)
    {
        items[at] = item;
        return items;
    }

    private static T[] RemoveAt<T>(this T[] items, int at) => [.. items[..at], .. items[(at + 1)..]];

    private static string Render(Node[] nodes)
    {
        var html = new StringBuilder();
        foreach (var node in nodes)
        {
            Render(node, html);
        }
        return html.ToString();
    }

    private static void Render(Node node, StringBuilder html)
    {
        switch (node)
        {
            case Text text:
                html.Append(text.Spaces[0]);
                for (var i = 0; i < text.Words.Length; i++)
                {
                    html.Append(text.Words[i]).Append(text.Spaces[i + 1]);
                }
                break;
            case Raw raw:
                html.Append(raw.Html);
                break;
            case Element element:
                html.Append('<').Append(element.Name);
                foreach (var (name, value) in element.Attributes)
                {
                    html.Append(' ').Append(name).Append("=\"").Append(value).Append('"');
                }
                html.Append('>');
                foreach (var child in element.Children)
                {
                    Render(child, html);
                }
                html.Append("</").Append(element.Name).Append('>');
                break;
        }
    }
}
