namespace Mergepoints.HtmlDiff.Diffing;

/// <summary>
/// Cuts a text into word tokens for the second, word-by-word diff: each token is the whitespace before a word
/// plus the word, and the last one also takes the whitespace after it, so the tokens cover the text exactly.
/// </summary>
internal static class WordSplitter
{
    public static void Split(int eventIndex, string text, List<Token> into)
    {
        var start = 0;
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && EventStream.IsSpace(text[i]))
            {
                i++;
            }
            while (i < text.Length && !EventStream.IsSpace(text[i]))
            {
                i++;
            }
            var end = i;
            var next = i;
            while (next < text.Length && EventStream.IsSpace(text[next]))
            {
                next++;
            }
            if (next == text.Length)
            {
                end = next;
            }
            into.Add(new Token(eventIndex, start, end - start));
            start = end;
            i = end;
        }
    }
}
