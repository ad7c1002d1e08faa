using Mergepoints.Mash.Library;

namespace Mergepoints.Mash.Tests.Library;

/// <summary>Settings no library can work with are refused once, at start, with the setting's name.</summary>
public sealed class MashLibraryOptionsTests
{
    [Fact]
    public void The_defaults_are_50_MB_10_minutes_kept_forever_and_ffmpeg_from_PATH()
    {
        var options = new MashLibraryOptions().Validate();

        Assert.Equal((52428800L, 600, 0, "ffmpeg"), (options.MaxUploadBytes, options.MaxSongSeconds, options.RetentionDays, options.FfmpegPath));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(86_401)]
    public void A_song_length_limit_outside_a_second_to_a_day_is_refused(int seconds)
    {
        var options = new MashLibraryOptions { MaxSongSeconds = seconds };

        Assert.Equal($"Mash:MaxSongSeconds must be between 1 and 86400 (a day), not {seconds}", Assert.Throws<ArgumentException>(() => options.Validate()).Message);
    }

    [Theory]
    [InlineData(0, 0, "ffmpeg", "Mash:MaxUploadBytes must be between 1 and 2147483647 (2 GiB), not 0")]
    [InlineData(3_000_000_000, 0, "ffmpeg", "Mash:MaxUploadBytes must be between 1 and 2147483647 (2 GiB), not 3000000000")]
    [InlineData(1, -1, "ffmpeg", "Mash:RetentionDays must be between 0 (keep everything) and 36500, not -1")]
    [InlineData(1, 40_000, "ffmpeg", "Mash:RetentionDays must be between 0 (keep everything) and 36500, not 40000")]
    [InlineData(1, 0, " ", "Mash:FfmpegPath must name the ffmpeg executable (\"ffmpeg\" finds it on PATH)")]
    public void A_setting_no_library_can_work_with_is_one_line_naming_it(long maxUploadBytes, int retentionDays, string ffmpeg, string expected)
    {
        var options = new MashLibraryOptions { MaxUploadBytes = maxUploadBytes, RetentionDays = retentionDays, FfmpegPath = ffmpeg };

        Assert.Equal(expected, Assert.Throws<ArgumentException>(() => options.Validate()).Message);
    }
}
