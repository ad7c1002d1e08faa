namespace Mergepoints.Mash.Library;

/// <summary>How long a title may be, for uploads' file names and mashes' "A × B" alike.</summary>
internal static class SongTitles
{
    /// <summary>The most characters a title keeps.</summary>
    public const int MaxLength = 200;

    /// <summary><paramref name="title"/> cut to <see cref="MaxLength"/>, never between the halves of a surrogate pair.</summary>
    public static string Fit(string title)
    {
        if (title.Length <= MaxLength)
        {
            return title;
        }
        var length = char.IsHighSurrogate(title[MaxLength - 1]) ? MaxLength - 1 : MaxLength;
        return title[..length].TrimEnd();
    }
}
