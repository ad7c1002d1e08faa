namespace Mergepoints.Admin.Data;

/// <summary>
/// A search term as a LIKE pattern, with its own <c>%</c>, <c>_</c> and <c>\</c> escaped: searching for "50%"
/// finds "50%", not everything that starts with 50. Use it as <c>LIKE @pattern ESCAPE '\'</c>, which both
/// databases read alike.
/// </summary>
internal static class LikePattern
{
    /// <summary>Matches text that contains <paramref name="term"/>.</summary>
    public static string Containing(string term) =>
        "%" + term.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";
}
