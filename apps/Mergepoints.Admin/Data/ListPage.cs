namespace Mergepoints.Admin.Data;

/// <summary>One page of a list, numbered from 1, never longer than <see cref="MaxSize"/> rows: a page of 10,000 would only make the page slow.</summary>
public sealed record ListPage
{
    /// <summary>Rows on a page when the address does not say.</summary>
    public const int DefaultSize = 25;

    /// <summary>The most rows a page holds, whatever the address asks.</summary>
    public const int MaxSize = 100;

    /// <summary>The page <paramref name="number"/> of <paramref name="size"/> rows, the size cut to <see cref="MaxSize"/>.</summary>
    public ListPage(int number, int size = DefaultSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        Number = number;
        Size = Math.Min(size, MaxSize);
    }

    /// <summary>The page's number, from 1.</summary>
    public int Number { get; }

    /// <summary>How many rows it holds at most.</summary>
    public int Size { get; }

    /// <summary>How many rows come before it.</summary>
    public long Skip => (Number - 1L) * Size;

    /// <summary>The first page.</summary>
    public static ListPage First { get; } = new(1);
}
