using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Mergepoints.HtmlDiff.Diffing;

/// <summary>
/// Parses HTML as a browser would (AngleSharp: misnested tags repaired, end tags implied, <c>&lt;tbody&gt;</c>
/// inserted) and walks the result into <see cref="HtmlEvent"/>s: head first (without <c>base</c> and
/// <c>meta</c>), then body.
/// </summary>
internal static class EventStream
{
    private static readonly HtmlParser Parser = new();

    /// <param name="html">A document or a fragment.</param>
    /// <param name="exactWhitespace">Compare all text exactly, as inside <c>&lt;pre&gt;</c>.</param>
    /// <param name="cancellationToken">Checked while walking.</param>
    public static List<HtmlEvent> Parse(string html, bool exactWhitespace, CancellationToken cancellationToken)
    {
        using var document = Parser.ParseDocument(html);
        var walk = new Walk(exactWhitespace, cancellationToken);
        if (document.Head is { } head)
        {
            walk.Children(head);
        }
        if (document.Body is { } body)
        {
            walk.Children(body);
        }
        return Settle(walk.Events);
    }

    /// <summary>
    /// Gives each text its key (see <see cref="HtmlEvent"/>'s remarks) and folds whitespace-only text into the
    /// next event's <see cref="HtmlEvent.Before"/>: it parts nothing an element's edge does not part already.
    /// </summary>
    private static List<HtmlEvent> Settle(List<HtmlEvent> events)
    {
        var settled = new List<HtmlEvent>(events.Count);
        var index = new int[events.Count];
        var space = "";
        for (var i = 0; i < events.Count; i++)
        {
            var htmlEvent = events[i];
            if (htmlEvent.Kind == HtmlEventKind.Text && !htmlEvent.ExactWhitespace)
            {
                var core = htmlEvent.Text.AsSpan().Trim(" \t\n\r\f");
                if (core.IsEmpty)
                {
                    space += htmlEvent.Text;
                    continue;
                }
                htmlEvent.Key = "T" + Collapse(core);
            }
            htmlEvent.Before = space;
            space = "";
            index[i] = settled.Count;
            settled.Add(htmlEvent);
        }
        foreach (var (i, htmlEvent) in settled.Index())
        {
            htmlEvent.Partner = htmlEvent.Kind is HtmlEventKind.Start or HtmlEventKind.End ? index[htmlEvent.Partner] : i;
        }
        return settled;
    }

    /// <summary>Whitespace as HTML means it (not U+00A0, which is content).</summary>
    public static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f';

    /// <summary>The text with each whitespace run made one space and the ends trimmed.</summary>
    public static string Collapse(ReadOnlySpan<char> text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (IsSpace(c))
            {
                space = builder.Length > 0;
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

    private sealed class Walk(bool exactWhitespace, CancellationToken cancellationToken)
    {
        public List<HtmlEvent> Events { get; } = [];

        /// <summary>Walks the children of <paramref name="root"/> with a stack of its own: documents nest deeper than threads recurse.</summary>
        public void Children(INode root)
        {
            var frames = new List<Frame> { new(root, -1, false) };
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
                var child = children[frame.Next++];
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
                        Add(new HtmlEvent
                        {
                            Kind = HtmlEventKind.Atomic,
                            Text = "<!--" + comment.Data + "-->",
                            Key = "C" + Collapse(comment.Data),
                        });
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
                            frames.Add(new Frame(element, start, frame.Preformatted || HtmlElements.Preformatted.Contains(name)));
                        }
                        break;
                }
            }
        }

        private void Text(string data, bool preformatted)
        {
            var exact = exactWhitespace || preformatted;
            Add(new HtmlEvent
            {
                Kind = HtmlEventKind.Text,
                Text = data,
                Key = "T" + data,
                ExactWhitespace = exact,
            });
        }

        private int Start(IElement element, string name)
        {
            var attributes = Attributes(element);
            Add(new HtmlEvent { Kind = HtmlEventKind.Start, Name = name, Attributes = attributes, Key = "S" + name + SortedAttributes(attributes) });
            return Events.Count - 1;
        }

        private void End(int start)
        {
            var name = Events[start].Name;
            Add(new HtmlEvent { Kind = HtmlEventKind.End, Name = name, Key = "E" + name, Partner = start });
            Events[start].Partner = Events.Count - 1;
        }

        private void Atomic(IElement element, string name)
        {
            var attributes = Attributes(element);
            var content = HtmlElements.Void.Contains(name) ? "" : element.InnerHtml;
            Add(new HtmlEvent
            {
                Kind = HtmlEventKind.Atomic,
                Name = name,
                Attributes = attributes,
                Text = element.OuterHtml,
                Key = "A" + name + SortedAttributes(attributes) + "\u0003" + content,
            });
        }

        private void Add(HtmlEvent htmlEvent)
        {
            if (htmlEvent.Kind != HtmlEventKind.End)
            {
                htmlEvent.Partner = Events.Count;
            }
            Events.Add(htmlEvent);
        }

        private static KeyValuePair<string, string>[] Attributes(IElement element)
        {
            var attributes = new KeyValuePair<string, string>[element.Attributes.Length];
            for (var i = 0; i < attributes.Length; i++)
            {
                var attribute = element.Attributes[i]!;
                attributes[i] = new(attribute.Name, attribute.Value);
            }
            return attributes;
        }

        private static string SortedAttributes(KeyValuePair<string, string>[] attributes)
        {
            if (attributes.Length == 0)
            {
                return "";
            }
            var sorted = attributes.OrderBy(a => a.Key, StringComparer.Ordinal);
            var builder = new StringBuilder();
            foreach (var (name, value) in sorted)
            {
                builder.Append('\u0001').Append(name).Append('\u0002').Append(value);
            }
            return builder.ToString();
        }

        private sealed class Frame(INode node, int startIndex, bool preformatted)
        {
            public INode Node { get; } = node;
            public int StartIndex { get; } = startIndex;
            public bool Preformatted { get; } = preformatted;
            public int Next { get; set; }
        }
    }
}
