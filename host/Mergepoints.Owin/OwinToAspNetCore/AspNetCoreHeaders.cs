// Written by hand: Microsoft.AspNetCore.Owin, which has an equivalent adapter, is not in our package source.
using System.Collections;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Mergepoints.Owin.OwinToAspNetCore;

/// <summary>
/// ASP.NET Core's <see cref="IHeaderDictionary"/> over an OWIN header dictionary, for a mounted ASP.NET Core
/// app whose environment came from somewhere other than Kestrel. Writes go through to the OWIN dictionary.
/// </summary>
public sealed class AspNetCoreHeaders(IDictionary<string, string[]> headers) : IHeaderDictionary
{
    /// <summary>The OWIN headers underneath.</summary>
    public IDictionary<string, string[]> Inner { get; } = headers;

    /// <inheritdoc />
    public StringValues this[string key]
    {
        get => Inner.TryGetValue(key, out var values) ? new StringValues(values) : StringValues.Empty;
        set
        {
            if (StringValues.IsNullOrEmpty(value))
            {
                Inner.Remove(key);
            }
            else
            {
                Inner[key] = value.ToArray()!;
            }
        }
    }

    /// <inheritdoc />
    public long? ContentLength
    {
        get => long.TryParse(this["Content-Length"], NumberStyles.None, CultureInfo.InvariantCulture, out var length) ? length : null;
        set => this["Content-Length"] = value?.ToString(CultureInfo.InvariantCulture) ?? StringValues.Empty;
    }

    /// <inheritdoc />
    public ICollection<string> Keys => Inner.Keys;

    /// <inheritdoc />
    public ICollection<StringValues> Values => Inner.Values.Select(v => new StringValues(v)).ToList();

    /// <inheritdoc />
    public int Count => Inner.Count;

    /// <inheritdoc />
    public bool IsReadOnly => Inner.IsReadOnly;

    /// <inheritdoc />
    public void Add(string key, StringValues value) => Inner.Add(key, value.ToArray()!);

    /// <inheritdoc />
    public void Add(KeyValuePair<string, StringValues> item) => Add(item.Key, item.Value);

    /// <inheritdoc />
    public void Clear() => Inner.Clear();

    /// <inheritdoc />
    public bool Contains(KeyValuePair<string, StringValues> item) =>
        Inner.TryGetValue(item.Key, out var values) && new StringValues(values) == item.Value;

    /// <inheritdoc />
    public bool ContainsKey(string key) => Inner.ContainsKey(key);

    /// <inheritdoc />
    public void CopyTo(KeyValuePair<string, StringValues>[] array, int arrayIndex)
    {
        foreach (var pair in this)
        {
            array[arrayIndex++] = pair;
        }
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, StringValues>> GetEnumerator()
    {
        foreach (var (key, values) in Inner)
        {
            yield return new(key, new StringValues(values));
        }
    }

    /// <inheritdoc />
    public bool Remove(string key) => Inner.Remove(key);

    /// <inheritdoc />
    public bool Remove(KeyValuePair<string, StringValues> item) => Contains(item) && Inner.Remove(item.Key);

    /// <inheritdoc />
    public bool TryGetValue(string key, out StringValues value)
    {
        var found = Inner.TryGetValue(key, out var values);
        value = found ? new StringValues(values) : StringValues.Empty;
        return found;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
