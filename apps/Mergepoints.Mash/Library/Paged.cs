namespace Mergepoints.Mash.Library;

/// <summary>One page of a longer list, numbered from 1, with the total so a pager can say how many pages there are.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, long Total)
{
    /// <summary>How many pages the whole list takes (at least 1, so an empty list still has its page 1).</summary>
    public int PageCount => Math.Max(1, (int)((Total + PageSize - 1) / PageSize));
}
