using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Mergepoints.Owin.OwinToAspNetCore;

/// <summary>
/// <c>HttpContext.Items</c> for a mounted ASP.NET Core app fed from a plain OWIN environment: string keys
/// live in the environment itself, so a key one app adds is seen by the next on either side of the bridge.
/// ASP.NET Core also keys items by object; those stay here, since OWIN keys are strings.
/// </summary>
internal sealed class EnvironmentItems(IDictionary<string, object> environment) : IDictionary<object, object?>
{
    private readonly Dictionary<object, object?> _objectKeyed = [];

    public object? this[object key]
    {
        get => TryGetValue(key, out var value) ? value : null;
        set
        {
            if (key is not string name)
            {
                _objectKeyed[key] = value;
            }
            else if (value is null)
            {
                environment.Remove(name);
            }
            else
            {
                environment[name] = value;
            }
        }
    }

    public ICollection<object> Keys => this.Select(pair => pair.Key).ToList();

    public ICollection<object?> Values => this.Select(pair => pair.Value).ToList();

    public int Count => environment.Count + _objectKeyed.Count;

    public bool IsReadOnly => false;

    public void Add(object key, object? value)
    {
        if (ContainsKey(key))
        {
            throw new ArgumentException($"The item {key} is already there.", nameof(key));
        }
        this[key] = value;
    }

    public void Add(KeyValuePair<object, object?> item) => Add(item.Key, item.Value);

    public void Clear() => throw new NotSupportedException("Items backed by an OWIN environment cannot be cleared.");

    public bool Contains(KeyValuePair<object, object?> item) => TryGetValue(item.Key, out var value) && Equals(value, item.Value);

    public bool ContainsKey(object key) => key is string name ? environment.ContainsKey(name) : _objectKeyed.ContainsKey(key);

    public void CopyTo(KeyValuePair<object, object?>[] array, int arrayIndex)
    {
        foreach (var pair in this)
        {
            array[arrayIndex++] = pair;
        }
    }

    public IEnumerator<KeyValuePair<object, object?>> GetEnumerator()
    {
        foreach (var (key, value) in environment)
        {
            yield return new(key, value);
        }
        foreach (var pair in _objectKeyed)
        {
            yield return pair;
        }
    }

    public bool Remove(object key) => key is string name ? environment.Remove(name) : _objectKeyed.Remove(key);

    public bool Remove(KeyValuePair<object, object?> item) => Contains(item) && Remove(item.Key);

    public bool TryGetValue(object key, [MaybeNullWhen(false)] out object? value)
    {
        if (key is string name)
        {
            var found = environment.TryGetValue(name, out var stored);
            value = stored;
            return found;
        }
        return _objectKeyed.TryGetValue(key, out value);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
