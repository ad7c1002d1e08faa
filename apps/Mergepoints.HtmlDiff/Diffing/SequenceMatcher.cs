using System.Buffers;
using System.Globalization;
using DiffPlex;

namespace Mergepoints.HtmlDiff.Diffing;

/// <summary>
/// Diffs two sequences of keys: common ends stripped, then items that occur exactly once on each side taken as
/// anchors (the longest run of them in the same order, as patience diff does), then DiffPlex's Myers O(ND)
/// matcher between consecutive anchors.
/// </summary>
/// <remarks>
/// Why the anchors: Myers costs about (N+M)·D over one region. Two 1 MB documents with 1% of their words
/// changed have changes everywhere, so D is in the thousands over the whole document; cut at the paragraphs
/// that did not change, each region holds one change and the cost grows linearly with the size.
/// Why the limit: two regions that share little would still make Myers run to D ≈ N+M. When the region's
/// edit distance exceeds <c>maxEditDistance</c> (counted cheaply as the items one side has and the other
/// lacks, and for large regions by a search that stops at the limit), the region is reported as one coarse
/// replacement instead.
/// </remarks>
internal sealed class SequenceMatcher
{
    private readonly int[] a;
    private readonly int[] b;
    private readonly int[] countA;
    private readonly int[] countB;
    private readonly int[] positionB;
    private readonly int maxEditDistance;
    private readonly CancellationToken cancellationToken;
    private readonly List<Edit> edits = [];

    /// <summary>How many times over the items the anchor passes may scan in all before the rest goes to <see cref="Region"/>.</summary>
    private const int AnchorScanBudgetFactor = 8;

    private SequenceMatcher(IReadOnlyList<string> oldKeys, IReadOnlyList<string> newKeys, int maxEditDistance, CancellationToken cancellationToken)
    {
        var ids = new Dictionary<string, int>(oldKeys.Count + newKeys.Count, StringComparer.Ordinal);
        a = Intern(oldKeys, ids);
        b = Intern(newKeys, ids);
        // Zeroed between uses (see Anchors): the same three arrays serve every range.
        countA = Rent(ids.Count);
        countB = Rent(ids.Count);
        positionB = Rent(ids.Count);
        this.maxEditDistance = maxEditDistance;
        this.cancellationToken = cancellationToken;
    }

    /// <summary>The edits that turn <paramref name="oldKeys"/> into <paramref name="newKeys"/>, in order.</summary>
    public static List<Edit> Diff(IReadOnlyList<string> oldKeys, IReadOnlyList<string> newKeys, int maxEditDistance, CancellationToken cancellationToken)
    {
        var matcher = new SequenceMatcher(oldKeys, newKeys, maxEditDistance, cancellationToken);
        try
        {
            matcher.Range(0, oldKeys.Count, 0, newKeys.Count);
            return matcher.edits;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(matcher.a);
            ArrayPool<int>.Shared.Return(matcher.b);
            ArrayPool<int>.Shared.Return(matcher.countA);
            ArrayPool<int>.Shared.Return(matcher.countB);
            ArrayPool<int>.Shared.Return(matcher.positionB);
        }
    }

    private static int[] Rent(int length)
    {
        var array = ArrayPool<int>.Shared.Rent(Math.Max(length, 1));
        Array.Clear(array, 0, length);
        return array;
    }

    /// <summary>The keys as ids, in an array from the pool (large documents would otherwise churn the large object heap).</summary>
    private static int[] Intern(IReadOnlyList<string> keys, Dictionary<string, int> ids)
    {
        var result = ArrayPool<int>.Shared.Rent(Math.Max(keys.Count, 1));
        for (var i = 0; i < keys.Count; i++)
        {
            if (!ids.TryGetValue(keys[i], out var id))
            {
                id = ids.Count;
                ids.Add(keys[i], id);
            }
            result[i] = id;
        }
        return result;
    }

    /// <summary>
    /// What DiffPlex gets for a stretch of one side: the ids as short strings (DiffPlex hashes its pieces
    /// again; a paragraph's id hashes faster than the paragraph), made only for the regions it is asked about.
    /// </summary>
    private static string[] PieceKeys(int[] side, int start, int end)
    {
        var keys = new string[end - start];
        for (var i = start; i < end; i++)
        {
            keys[i - start] = side[i].ToString(CultureInfo.InvariantCulture);
        }
        return keys;
    }

    /// <summary>
    /// Splits the whole range at anchors, range by range from an explicit stack (popped in document order, so
    /// the edits come out in order). Why no recursion: inputs where each pass finds a single anchor nest as deep
    /// as they are long, and a stack overflow would end the whole host. Why the budget: those same inputs rescan
    /// almost the whole range on every pass (quadratic); once the anchor passes have scanned
    /// <see cref="AnchorScanBudgetFactor"/>·(N+M) items, the ranges still left go straight to <see cref="Region"/>,
    /// which the edit limit bounds.
    /// </summary>
    private void Range(int aLo, int aHi, int bLo, int bHi)
    {
        var budget = (long)AnchorScanBudgetFactor * (aHi - aLo + bHi - bLo);
        var pending = new Stack<(int ALo, int AHi, int BLo, int BHi)>();
        pending.Push((aLo, aHi, bLo, bHi));
        while (pending.TryPop(out var range))
        {
            cancellationToken.ThrowIfCancellationRequested();
            budget -= Split(range.ALo, range.AHi, range.BLo, range.BHi, budget > 0, pending);
        }
    }

    /// <summary>
    /// One range: common ends stripped, then either an edit, a <see cref="Region"/>, or its pieces between
    /// anchors pushed (last first) for later. Returns how many items the anchor search scanned.
    /// </summary>
    private int Split(int aLo, int aHi, int bLo, int bHi, bool searchAnchors, Stack<(int ALo, int AHi, int BLo, int BHi)> pending)
    {
        while (aLo < aHi && bLo < bHi && a[aLo] == b[bLo])
        {
            aLo++;
            bLo++;
        }
        while (aLo < aHi && bLo < bHi && a[aHi - 1] == b[bHi - 1])
        {
            aHi--;
            bHi--;
        }
        if (aLo == aHi || bLo == bHi)
        {
            if (aLo < aHi || bLo < bHi)
            {
                edits.Add(new Edit(aLo, aHi - aLo, bLo, bHi - bLo, false));
            }
            return 0;
        }
        var anchors = searchAnchors ? Anchors(aLo, aHi, bLo, bHi) : [];
        var scanned = searchAnchors ? aHi - aLo + bHi - bLo : 0;
        if (anchors.Count == 0)
        {
            Region(aLo, aHi, bLo, bHi);
            return scanned;
        }
        for (var k = anchors.Count - 1; k >= 0; k--)
        {
            pending.Push((anchors[k].A + 1, aHi, anchors[k].B + 1, bHi));
            aHi = anchors[k].A;
            bHi = anchors[k].B;
        }
        pending.Push((aLo, aHi, bLo, bHi));
        return scanned;
    }

    /// <summary>Items unique on both sides of the range, the longest subsequence of them in the same order on both.</summary>
    private List<(int A, int B)> Anchors(int aLo, int aHi, int bLo, int bHi)
    {
        for (var i = aLo; i < aHi; i++)
        {
            countA[a[i]]++;
        }
        for (var j = bLo; j < bHi; j++)
        {
            countB[b[j]]++;
            positionB[b[j]] = j;
        }
        var pairs = new List<(int A, int B)>();
        for (var i = aLo; i < aHi; i++)
        {
            if (countA[a[i]] == 1 && countB[a[i]] == 1)
            {
                pairs.Add((i, positionB[a[i]]));
            }
        }
        for (var i = aLo; i < aHi; i++)
        {
            countA[a[i]] = 0;
        }
        for (var j = bLo; j < bHi; j++)
        {
            countB[b[j]] = 0;
        }
        return LongestIncreasing(pairs);
    }

    /// <summary>The longest subsequence of <paramref name="pairs"/> (ordered by A) that is increasing in B, in O(n log n).</summary>
    private static List<(int A, int B)> LongestIncreasing(List<(int A, int B)> pairs)
    {
        if (pairs.Count <= 1)
        {
            return pairs;
        }
        var tails = new List<int>();
        var previous = new int[pairs.Count];
        foreach (var (index, pair) in pairs.Index())
        {
            int lo = 0, hi = tails.Count;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (pairs[tails[mid]].B < pair.B)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }
            previous[index] = lo > 0 ? tails[lo - 1] : -1;
            if (lo == tails.Count)
            {
                tails.Add(index);
            }
            else
            {
                tails[lo] = index;
            }
        }
        var result = new (int A, int B)[tails.Count];
        for (int k = tails.Count - 1, at = tails[^1]; k >= 0; k--, at = previous[at])
        {
            result[k] = pairs[at];
        }
        return [.. result];
    }

    /// <summary>A region without anchors: DiffPlex, unless its edit distance is bound to exceed the limit.</summary>
    private void Region(int aLo, int aHi, int bLo, int bHi)
    {
        // The cheap bound first; in a region too large for Myers to be cheap whatever D is (repetitive content
        // reordered can share every item and still be far apart), the bounded search settles it.
        if (LowerBoundOfEditDistance(aLo, aHi, bLo, bHi) > maxEditDistance
            || (aHi - aLo + bHi - bLo > 2 * maxEditDistance && !EditDistanceAtMost(aLo, aHi, bLo, bHi, maxEditDistance)))
        {
            edits.Add(new Edit(aLo, aHi - aLo, bLo, bHi - bLo, true));
            return;
        }
        var chunker = new PrecomputedChunker(PieceKeys(a, aLo, aHi), PieceKeys(b, bLo, bHi));
        var result = Differ.Instance.CreateDiffs(PrecomputedChunker.Old, PrecomputedChunker.New, false, false, chunker);
        foreach (var block in result.DiffBlocks)
        {
            edits.Add(new Edit(aLo + block.DeleteStartA, block.DeleteCountA, bLo + block.InsertStartB, block.InsertCountB, false));
        }
    }

    /// <summary>
    /// Whether the region's edit distance is at most <paramref name="limit"/>: Myers' greedy forward search,
    /// stopped at D = limit, so it costs at most about (N+M)·limit however far apart the two sides are.
    /// Written here because DiffPlex runs its search to the end and has no such bound.
    /// </summary>
    private bool EditDistanceAtMost(int aLo, int aHi, int bLo, int bHi, int limit)
    {
        int n = aHi - aLo, m = bHi - bLo;
        var offset = limit + 1;
        var furthest = ArrayPool<int>.Shared.Rent(2 * limit + 3);
        try
        {
            furthest[offset + 1] = 0;
            for (var d = 0; d <= limit; d++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                for (var k = -d; k <= d; k += 2)
                {
                    var x = k == -d || (k != d && furthest[offset + k - 1] < furthest[offset + k + 1])
                        ? furthest[offset + k + 1]
                        : furthest[offset + k - 1] + 1;
                    var y = x - k;
                    while (x < n && y < m && a[aLo + x] == b[bLo + y])
                    {
                        x++;
                        y++;
                    }
                    furthest[offset + k] = x;
                    if (x >= n && y >= m)
                    {
                        return true;
                    }
                }
            }
            return false;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(furthest);
        }
    }

    /// <summary>Items one side has and the other lacks, counted as multisets: every one of them costs an edit.</summary>
    private int LowerBoundOfEditDistance(int aLo, int aHi, int bLo, int bHi)
    {
        for (var i = aLo; i < aHi; i++)
        {
            countA[a[i]]++;
        }
        var common = 0;
        for (var j = bLo; j < bHi; j++)
        {
            if (countA[b[j]] > 0)
            {
                countA[b[j]]--;
                common++;
            }
        }
        for (var i = aLo; i < aHi; i++)
        {
            countA[a[i]] = 0;
        }
        return (aHi - aLo) + (bHi - bLo) - 2 * common;
    }
}
