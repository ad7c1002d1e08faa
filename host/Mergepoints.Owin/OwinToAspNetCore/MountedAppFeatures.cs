using System.Collections;
using Microsoft.AspNetCore.Http.Features;

namespace Mergepoints.Owin.OwinToAspNetCore;

/// <summary>
/// The features a mounted app runs on over a Kestrel request: the request's own, read through, with what the app
/// sets kept in this layer. A few belong to each app and are never read from below: its request services (else
/// it resolves from the outer app's container once the outer pipeline has touched them) and its endpoint and
/// route values (Kestrel implements those itself, so the app's routing would write its match into the outer request).
/// </summary>
internal sealed class MountedAppFeatures(IFeatureCollection outer) : IFeatureCollection
{
    private static readonly HashSet<Type> PerApp =
    [
        typeof(IServiceProvidersFeature),
        typeof(IEndpointFeature),
        typeof(IRouteValuesFeature),
    ];

    private readonly FeatureCollection _own = new();

    public bool IsReadOnly => false;

    public int Revision => outer.Revision + _own.Revision;

    public object? this[Type key]
    {
        get => _own[key] ?? (PerApp.Contains(key) ? null : outer[key]);
        set => _own[key] = value;
    }

    public TFeature? Get<TFeature>() => (TFeature?)this[typeof(TFeature)];

    public void Set<TFeature>(TFeature? instance) => this[typeof(TFeature)] = instance;

    public IEnumerator<KeyValuePair<Type, object>> GetEnumerator()
    {
        foreach (var pair in _own)
        {
            yield return pair;
        }
        foreach (var pair in outer)
        {
            if (!PerApp.Contains(pair.Key) && _own[pair.Key] is null)
            {
                yield return pair;
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
