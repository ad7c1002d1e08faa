using System.Globalization;
using Mergepoints.Admin.Actions;
using Mergepoints.Admin.Data;

namespace Mergepoints.Admin.Web;

/// <summary>
/// The lists' query strings read strictly: <c>?page=N&amp;size=M</c> (size cut to <see cref="ListPage.MaxSize"/>),
/// filters by name. A value that means nothing is a 400 that says which and why, not a page that quietly shows
/// something else.
/// </summary>
internal static class QueryValues
{
    /// <summary>The page asked for: the first one of <see cref="ListPage.DefaultSize"/> rows when nothing is asked.</summary>
    public static ListPage Page(string? page, string? size) =>
        new(Number(page, "page") ?? 1, Number(size, "size") ?? ListPage.DefaultSize);

    /// <summary>A search term, trimmed; null for none.</summary>
    public static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>One of <typeparamref name="T"/>'s values by its lowercase name; null for none.</summary>
    public static T? Choice<T>(string? value, string name)
        where T : struct, Enum
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        var names = Enum.GetNames<T>().Select(n => n.ToLowerInvariant()).ToList();
        return names.Contains(value, StringComparer.Ordinal)
            ? Enum.Parse<T>(value, ignoreCase: true)
            : throw new RefusedException(400, $"{name} must be one of {string.Join(", ", names)}; \"{value}\" is not one.");
    }

    /// <summary><paramref name="value"/> when it is one of <paramref name="allowed"/>; null for none.</summary>
    public static string? OneOf(string? value, string name, IReadOnlyList<string> allowed) =>
        string.IsNullOrEmpty(value) ? null
        : allowed.Contains(value, StringComparer.Ordinal) ? value
        : throw new RefusedException(400, $"{name} must be one of {string.Join(", ", allowed)}; \"{value}\" is not one.");

    private static int? Number(string? value, string name) =>
        value is null ? null
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1 ? number
        : throw new RefusedException(400, $"{name} must be a whole number from 1; \"{value}\" is not one.");
}
