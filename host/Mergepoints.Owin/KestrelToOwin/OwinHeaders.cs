// Written by hand: Microsoft.AspNetCore.Owin, which has an equivalent adapter, is not in our package source.
using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Mergepoints.Owin.KestrelToOwin;

/// <summary>
/// OWIN's header dictionary (<c>IDictionary&lt;string, string[]&gt;</c>, case-insensitive) over ASP.NET Core's
/// <see cref="IHeaderDictionary"/>. Reads and writes go straight through, so the server and the app never
/// disagree about a header.
/// </summary>
public sealed class OwinHeaders(IHeaderDictionary headers) : IDictionary<string, string[]>
{
    /// <summary>The ASP.NET Core headers underneath.</summary>
    public IHeaderDictionary Inner { get; } = headers;

    /// <inheritdoc />
    public string[] this[string key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No header {key}.");
        set => Inner[key] = new StringValues(value);
    }

    /// <inheritdoc />
    public ICollection<string> Keys => Inner.Keys;

    /// <inheritdoc />
    public ICollection<string[]> Values => Inner.Values.Select(Strings).ToList();

    /// <inheritdoc />
    public int Count => Inner.Count;

    /// <inheritdoc />
    public bool IsReadOnly => Inner.IsReadOnly;

    /// <inheritdoc />
    public void Add(string key, string[] value)
    {
        if (Inner.ContainsKey(key))
        {
            throw new ArgumentException($"The header {key} is already there.", nameof(key));
        }
        Inner[key] = new StringValues(value);
    }

    /// <inheritdoc />
    public void Add(KeyValuePair<string, string[]> item) => Add(item.Key, item.Value);

    /// <inheritdoc />
    public void Clear() => Inner.Clear();

    /// <inheritdoc />
    public bool Contains(KeyValuePair<string, string[]> item) =>
        TryGetValue(item.Key, out var value) && value.SequenceEqual(item.Value);

    /// <inheritdoc />
    public bool ContainsKey(string key) => Inner.ContainsKey(key);

    /// <inheritdoc />
    public void CopyTo(KeyValuePair<string, string[]>[] array, int arrayIndex)
    {
        foreach (var pair in this)
        {
            array[arrayIndex++] = pair;
        }
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, string[]>> GetEnumerator()
    {
        foreach (var (key, value) in Inner)
        {
            yield return new(key, Strings(value));
        }
    }

    /// <inheritdoc />
    public bool Remove(string key) => Inner.Remove(key);

    /// <inheritdoc />
    public bool Remove(KeyValuePair<string, string[]> item) => Contains(item) && Inner.Remove(item.Key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string[] value)
    {
        if (Inner.TryGetValue(key, out var values))
        {
            value = Strings(values);
            return true;
        }
        value = null;
        return false;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // StringValues never holds a null string when it came from a header, whatever its signature says.
    private static string[] Strings(StringValues values) => values.ToArray()!;
}
