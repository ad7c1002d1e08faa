using Mergepoints.Mash.Library;

namespace Mergepoints.Admin.Data;

/// <summary>A song as the admin lists it: the library's song with who owns it and how the mashes use it.</summary>
/// <param name="Song">The song.</param>
/// <param name="OwnerName">The owner's name; null for demo songs and when the owner is gone.</param>
/// <param name="UsedBy">How many mashes were made from it (as A or B).</param>
/// <param name="OutputOf">The mash it is the output of, if it is one.</param>
public sealed record SongSummary(Song Song, string? OwnerName, long UsedBy, string? OutputOf);
