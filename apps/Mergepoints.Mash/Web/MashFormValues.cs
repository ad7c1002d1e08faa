using System.Globalization;
using Mergepoints.Mash.Engine.Mashing;
using Mergepoints.Mash.Library;

namespace Mergepoints.Mash.Web;

/// <summary>
/// What the mash form holds: the two songs (by id, once uploaded) and the settings. The home page fills the form
/// from it, also after an error so that nothing the person chose is lost; the resubmit form starts from a mash's.
/// </summary>
public sealed record MashFormValues
{
    /// <summary>Song A, when one is chosen.</summary>
    public string? SongAId { get; init; }

    /// <summary>Song B, when one is chosen.</summary>
    public string? SongBId { get; init; }

    /// <summary>The share of B.</summary>
    public double Mix { get; init; } = 0.9;

    /// <summary>Smooth or classic.</summary>
    public MashMode Mode { get; init; } = MashMode.Smooth;

    /// <summary>Segments or beats.</summary>
    public MashUnit Unit { get; init; } = MashUnit.Segment;

    /// <summary>Whether B follows A's loudness.</summary>
    public bool Envelope { get; init; } = true;

    /// <summary>Whether the finished mash shows in the gallery.</summary>
    public bool IsPublic { get; init; } = true;

    /// <summary>The mix as the form writes it: 0.9 → "0.9", always with a dot.</summary>
    public string MixText => Mix.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>The engine's options.</summary>
    public MashOptions Options => new() { Mix = Mix, Mode = Mode, Unit = Unit, Envelope = Envelope };

    /// <summary>The form of a mash already made: same songs, same settings.</summary>
    public static MashFormValues Of(Mashup mash)
    {
        ArgumentNullException.ThrowIfNull(mash);
        return new()
        {
            SongAId = mash.SongAId,
            SongBId = mash.SongBId,
            Mix = mash.Options.Mix,
            Mode = mash.Options.Mode,
            Unit = mash.Options.Unit,
            Envelope = mash.Options.Envelope,
            IsPublic = mash.IsPublic,
        };
    }

    /// <summary>
    /// Reads the form's text fields over the songs just uploaded (a file wins over a pick). Returns the values
    /// and the first problem a person must fix, or null. Values that cannot be read keep their defaults, so the
    /// form shown again is still usable.
    /// </summary>
    internal static (MashFormValues Values, string? Problem) Read(IReadOnlyDictionary<string, string> fields, Song? uploadedA, Song? uploadedB)
    {
        string? problem = null;
        void Note(string text) => problem ??= text;
        string? Pick(string name) => fields.TryGetValue(name, out var id) && HexIdConstraint.IsId(id) ? HexIdConstraint.Normalize(id) : null;
        var defaults = new MashFormValues();
        var mix = defaults.Mix;
        if (fields.TryGetValue("mix", out var mixText)
            && !(double.TryParse(mixText, NumberStyles.Float, CultureInfo.InvariantCulture, out mix) && mix is >= 0 and <= 1))
        {
            Note($"The mix must be a number from 0 to 1, not \"{mixText}\".");
            mix = defaults.Mix;
        }
        var values = new MashFormValues
        {
            SongAId = uploadedA?.Id ?? Pick("songA"),
            SongBId = uploadedB?.Id ?? Pick("songB"),
            Mix = mix,
            Mode = Choice(fields, "mode", defaults.Mode, Note),
            Unit = Choice(fields, "unit", defaults.Unit, Note),
            // A checkbox left unticked is simply not sent.
            Envelope = fields.ContainsKey("envelope"),
            IsPublic = fields.ContainsKey("public"),
        };
        if (values.SongAId is null)
        {
            Note("Choose song A: drop a file on it, pick a file, or choose a song already here.");
        }
        else if (values.SongBId is null)
        {
            Note("Choose song B: drop a file on it, pick a file, or choose a song already here.");
        }
        else if (values.Mode == MashMode.Classic && values.Unit == MashUnit.Beat)
        {
            Note("Classic mode matches segments only: choose smooth to match beat by beat.");
        }
        return (values, problem);
    }

    private static TEnum Choice<TEnum>(IReadOnlyDictionary<string, string> fields, string name, TEnum fallback, Action<string> note)
        where TEnum : struct, Enum
    {
        if (!fields.TryGetValue(name, out var text))
        {
            return fallback;
        }
        // A name as the form's options write it, whole: Enum.TryParse would also take "1" and "smooth,classic".
        foreach (var value in Enum.GetValues<TEnum>())
        {
            if (text.Equals(value.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }
        note($"The {name} must be one of {string.Join(", ", Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()))}, not \"{text}\".");
        return fallback;
    }
}
