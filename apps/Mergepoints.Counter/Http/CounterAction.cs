namespace Mergepoints.Counter.Http;

/// <summary>What a request to the counter asks for, once its path, method and caller have been checked.</summary>
internal enum CounterAction
{
    /// <summary><c>GET</c> or <c>HEAD /song/{id}</c>.</summary>
    Count,

    /// <summary><c>POST /song/{id}</c>.</summary>
    Increment,

    /// <summary><c>DELETE /song/{id}</c>, an admin's.</summary>
    ResetSong,

    /// <summary><c>GET</c> or <c>HEAD /</c>.</summary>
    All,

    /// <summary><c>DELETE /</c>, an admin's.</summary>
    Reset,

    /// <summary><c>POST /flush</c>, an admin's.</summary>
    Flush,
}
