namespace Mergepoints.HtmlDiff.Diffing;

/// <summary>What the renderer adds to a start tag: a class (<c>tagdiff_…</c>) and attributes that record old values.</summary>
internal readonly record struct TagMarks(string Class, IReadOnlyList<KeyValuePair<string, string>> Attributes)
{
    public TagMarks(string @class)
        : this(@class, [])
    {
    }
}
