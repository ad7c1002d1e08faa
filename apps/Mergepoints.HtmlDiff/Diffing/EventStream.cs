using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Mergepoints.HtmlDiff.Diffing;

/// <summary>
/// Parses HTML as a browser would (AngleSharp: misnested tags repaired, end tags implied, <c>&lt;tbody&gt;</c>
/// inserted) and walks the result into <see cref="HtmlEvent"/>s: head first (without <c>base</c> and
/// <c>meta</c>), then body. Whitespace-only text (outside <c>&lt;pre&gt;</c>) is not an event: it parts nothing
/// an element's edge does not part already, so it is kept as the next event's <see cref="HtmlEvent.Before"/>.
/// </summary>
internal static class EventStream
{
    private const string Spaces = " \t\n\r\f";

    /// <param name="html">A document or a fragment.</param>
    /// <param name="exactWhitespace">Compare all text exactly, as inside <c>&lt;pre&gt;</c>.</param>
    /// <param name="cancellationToken">Checked while walking.</param>
    public static List<HtmlEvent> Parse(string html, bool exactWhitespace, CancellationToken cancellationToken)
    {
        // A parser per call: the two documents of a diff may be parsed at the same time.
        using var document = new HtmlParser().ParseDocument(html);
        var walk = new Walk(exactWhitespace, cancellationToken);
        if (document.Head is { } head)
        {
            walk.Children(head);
        }
        if (document.Body is { } body)
        {
            walk.Children(body);
        }
        return walk.Events;
    }

    /// <summary>Whitespace as HTML means it (not U+00A0, which is content).</summary>
    public static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f';

    /// <summary><paramref name="prefix"/> and the text with each whitespace run made one space and the ends trimmed.</summary>
    public static string Collapse(char prefix, ReadOnlySpan<char> text)
    {
        text = text.Trim(Spaces);
        if (!NeedsCollapsing(text))
        {
            return string.Concat([prefix], text);
        }
        var builder = new StringBuilder(text.Length + 1).Append(prefix);
        var space = false;
        foreach (var c in text)
        {
            if (IsSpace(c))
            {
                space = true;
            }
            else
            {
                if (space)
                {
                    builder.Append(' ');
                    space = false;
                }
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    /// <summary>Whether the (trimmed) text has whitespace other than single spaces.</summary>
    private static bool NeedsCollapsing(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (IsSpace(text[i]) && (text[i] != ' ' || IsSpace(text[i + 1])))
            {
                return true;
            }
        }
        return false;
    }

    private sealed class Walk(bool exactWhitespace, CancellationToken cancellationToken)
    {
        public List<HtmlEvent> Events { get; } = [];
        private readonly Dictionary<string, (string Start, string End)> tagKeys = [];
        private string pendingSpace = "";

        /// <summary>Walks the children of <paramref name="root"/> with a stack of its own: documents nest deeper than threads recurse.</summary>
        public void Children(INode root)
        {
            var frames = new List<Frame> { new(root, -1, false, 0) };
            while (frames.Count > 0)
            {
                var frame = frames[^1];
                var children = frame.Node.ChildNodes;
                if (frame.Next >= children.Length)
                {
                    frames.RemoveAt(frames.Count - 1);
                    if (frame.StartIndex >= 0)
                    {
                        End(frame.StartIndex);
                    }
                    continue;
                }
                frames[^1] = frame with { Next = frame.Next + 1 };
                var child = children[frame.Next];
                if ((Events.Count & 1023) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
                switch (child)
                {
                    case IText text:
                        Text(text.Data, frame.Preformatted);
                        break;
                    case IComment comment:
                        Add(new HtmlEvent { Kind = HtmlEventKind.Atomic, Text = "<!--" + comment.Data + "-->", Key = Collapse('C', comment.Data) });
                        break;
                    case IElement element:
                        var name = element.LocalName;
                        if (HtmlElements.Skipped.Contains(name))
                        {
                            break;
                        }
                        if (HtmlElements.Void.Contains(name) || HtmlElements.Whole.Contains(name))
                        {
                            Atomic(element, name);
                        }
                        else
                        {
                            var start = Start(element, name);
                            frames.Add(new Frame(element, start, frame.Preformatted || HtmlElements.Preformatted.Contains(name), 0));
                        }
                        break;
                }
            }
        }

        private void Text(string data, bool preformatted)
        {
            var exact = exactWhitespace || preformatted;
            if (!exact && data.AsSpan().Trim(Spaces).IsEmpty)
            {
                pendingSpace += data;
                return;
            }
            Add(new HtmlEvent { Kind = HtmlEventKind.Text, Text = data, Key = exact ? "T" + data : Collapse('T', data), ExactWhitespace = exact });
        }

        private int Start(IElement element, string name)
        {
            var attributes = Attributes(element);
            Add(new HtmlEvent
            {
                Kind = HtmlEventKind.Start,
                Name = name,
                Attributes = attributes,
                Key = attributes.Length == 0 ? TagKeys(name).Start : TagKeys(name).Start + SortedAttributes(attributes),
            });
            return Events.Count - 1;
        }

        private void End(int start)
        {
            var name = Events[start].Name!;
            Add(new HtmlEvent { Kind = HtmlEventKind.End, Name = name, Key = TagKeys(name).End, Partner = start });
            Events[start].Partner = Events.Count - 1;
        }

        /// <summary>The keys of a tag without attributes, made once per name: most tags have none.</summary>
        private (string Start, string End) TagKeys(string name)
        {
            if (!tagKeys.TryGetValue(name, out var keys))
            {
                keys = ("S" + name, "E" + name);
                tagKeys.Add(name, keys);
            }
            return keys;
        }

        private void Atomic(IElement element, string name)
        {
            var attributes = Attributes(element);
            if (!HtmlElements.Void.Contains(name) && NestsDeeperThan(element, HtmlNestingException.MaxDepth))
            {
                throw new HtmlNestingException(name);
            }
            var content = HtmlElements.Void.Contains(name) ? "" : element.InnerHtml;
            Add(new HtmlEvent
            {
                Kind = HtmlEventKind.Atomic,
                Name = name,
                Attributes = attributes,
                Text = name == "plaintext" ? Preformatted(element.TextContent) : element.OuterHtml,
                Key = "A" + name + SortedAttributes(attributes) + "\u0003" + content,
            });
        }

        /// <summary>
        /// Whether elements nest more than <paramref name="limit"/> deep under <paramref name="element"/>, a
        /// template's content counted as its children: walked with a stack of its own, as the serializer that
        /// writes the element would not be.
        /// </summary>
        private static bool NestsDeeperThan(IElement element, int limit)
        {
            var pending = new Stack<(INode Node, int Depth)>();
            pending.Push((element, 0));
            while (pending.TryPop(out var item))
            {
                if (item.Depth > limit)
                {
                    return true;
                }
                Push(item.Node.ChildNodes, item.Depth + 1);
                if (item.Node is IHtmlTemplateElement template)
                {
                    Push(template.Content.ChildNodes, item.Depth + 1);
                }
            }
            return false;

            void Push(INodeList children, int depth)
            {
                foreach (var child in children)
                {
                    if (child is IElement)
                    {
                        pending.Push((child, depth));
                    }
                }
            }
        }

        /// <summary>
        /// A <c>&lt;plaintext&gt;</c> written as itself would make a browser read all that follows it, the rest
        /// of the diff included, as text: its text goes into a <c>&lt;pre&gt;</c> instead (after a newline,
        /// which the parser drops, so a newline of the text's own stays).
        /// </summary>
        private static string Preformatted(string text) => "<pre>\n" + DiffWriter.EscapeText(text) + "</pre>";

        private void Add(HtmlEvent htmlEvent)
        {
            if (pendingSpace.Length > 0)
            {
                htmlEvent.Before = pendingSpace;
                pendingSpace = "";
            }
            if (htmlEvent.Kind != HtmlEventKind.End)
            {
                htmlEvent.Partner = Events.Count;
            }
            Events.Add(htmlEvent);
        }

        private static KeyValuePair<string, string>[] Attributes(IElement element)
        {
            var count = element.Attributes.Length;
            if (count == 0)
            {
                return [];
            }
            var attributes = new KeyValuePair<string, string>[count];
            for (var i = 0; i < count; i++)
            {
                var attribute = element.Attributes[i]!;
                attributes[i] = new(attribute.Name, attribute.Value);
            }
            return attributes;
        }

        /// <summary>The attributes in name order, so that their order never counts as a change.</summary>
        private static string SortedAttributes(KeyValuePair<string, string>[] attributes)
        {
            if (attributes.Length == 0)
            {
                return "";
            }
            var sorted = attributes.Length == 1 ? attributes : attributes.OrderBy(a => a.Key, StringComparer.Ordinal).ToArray();
            var builder = new StringBuilder();
            foreach (var (name, value) in sorted)
            {
                builder.Append('\u0001').Append(name).Append('\u0002').Append(value);
            }
            return builder.ToString();
        }

        private readonly record struct Frame(INode Node, int StartIndex, bool Preformatted, int Next);
    }
}
