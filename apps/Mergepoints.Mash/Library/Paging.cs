namespace Mergepoints.Mash.Library;

/// <summary>The page arithmetic the stores share: a page number from a query string is never an error.</summary>
internal static class Paging
{
    /// <summary>The most items one page holds, whatever the caller asks.</summary>
    public const int MaxPageSize = 100;

    /// <summary>
    /// The page (1 for anything less: a hand-typed <c>?page=0</c> shows the first page) and its size (at most
    /// <see cref="MaxPageSize"/>), with how many rows come before it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pageSize"/> is less than 1.</exception>
    public static (int Page, int PageSize, long Skip) Of(int page, int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        page = Math.Max(1, page);
        pageSize = Math.Min(pageSize, MaxPageSize);
        return (page, pageSize, (page - 1L) * pageSize);
    }
}
