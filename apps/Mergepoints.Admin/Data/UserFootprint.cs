namespace Mergepoints.Admin.Data;

/// <summary>
/// What a user has left in the library, as deleting them would take it away: their mashes (with the output songs
/// and the jobs still waiting), the songs they uploaded, and how many other people's mashes were made from those
/// songs (those keep their own outputs and show the songs as deleted).
/// </summary>
/// <param name="MashIds">Their mashes.</param>
/// <param name="FinishedMashes">How many of them have an output song.</param>
/// <param name="WaitingMashes">How many are queued or running: the queued jobs are cancelled, a running one's output is thrown away.</param>
/// <param name="SongIds">The songs they own that are not their mashes' outputs: their uploads.</param>
/// <param name="OthersMashesFromTheirSongs">Other users' mashes made from any song of theirs.</param>
internal sealed record UserFootprint(IReadOnlyList<string> MashIds, int FinishedMashes, int WaitingMashes, IReadOnlyList<string> SongIds, long OthersMashesFromTheirSongs);
