using System.Text.Json;
using Mergepoints.Owin.Dispatch;

namespace Mergepoints.Host.Configuration;

/// <summary>
/// Reads a site config (JSON) into a <see cref="SiteConfig"/>, refusing anything it cannot serve with one
/// <see cref="ConfigException"/> line. Relative paths in it are relative to the file, not to the current directory.
/// </summary>
public static class SiteConfigLoader
{
    private static readonly string[] MountKinds = ["app", "assembly", "proxy", "static"];
    private static readonly JsonDocumentOptions JsonOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>Loads and checks <paramref name="file"/>; <paramref name="appNames"/> are the built-in apps a mount may name.</summary>
    public static SiteConfig Load(string file, IReadOnlyCollection<string> appNames)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ConfigException(file, $"cannot read the config: {e.Message}");
        }
        try
        {
            using var document = JsonDocument.Parse(text, JsonOptions);
            return Parse(file, document.RootElement, appNames);
        }
        catch (JsonException e)
        {
            throw new ConfigException(file, $"not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}");
        }
    }

    private static SiteConfig Parse(string file, JsonElement root, IReadOnlyCollection<string> appNames)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ConfigException(file, "the config must be a JSON object with a \"mounts\" list");
        }
        RefuseUnknownKeys(root, ["urls", "slots", "logs", "data", "accounts", "mounts"], key => new ConfigException(file, $"unknown key \"{key}\" (expected urls, slots, logs, data, accounts, mounts)"));
        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(file))!;
        var urls = ParseUrls(file, OptionalString(root, "urls", problem => new ConfigException(file, problem)));
        var slots = ParseSlots(file, root);
        var logs = OptionalString(root, "logs", problem => new ConfigException(file, problem));
        var data = OptionalString(root, "data", problem => new ConfigException(file, problem));
        var accounts = OptionalString(root, "accounts", problem => new ConfigException(file, problem)) ?? "/account";
        if ((accounts == MountPrefix.Root || IsReserved(accounts) ? "the account pages cannot take the root, /_mergepoints or /healthz" : MountPrefix.Problem(accounts)) is { } accountsProblem)
        {
            throw new ConfigException(file, $"\"accounts\": {accountsProblem}");
        }
        if (!root.TryGetProperty("mounts", out var mountsElement) || mountsElement.ValueKind != JsonValueKind.Array)
        {
            throw new ConfigException(file, "\"mounts\" must be a list of mounts, such as [{\"path\": \"/\", \"app\": \"welcome\"}]");
        }
        var mounts = new List<MountConfig>();
        var index = 0;
        foreach (var element in mountsElement.EnumerateArray())
        {
            index++;
            var mount = ParseMount(file, baseDirectory, index, element, appNames);
            if (mounts.Find(m => string.Equals(m.Path, mount.Path, StringComparison.OrdinalIgnoreCase)) is { } earlier)
            {
                throw new ConfigException(file, mount.Path, $"the path is mounted twice (also as {earlier.Path})");
            }
            if (string.Equals(mount.Path, accounts, StringComparison.OrdinalIgnoreCase) || IsReserved(mount.Path))
            {
                throw new ConfigException(file, mount.Path, "the host mounts its own pages there (move them with \"accounts\", or choose another path)");
            }
            mounts.Add(mount);
        }
        return new SiteConfig(file, urls, data is null ? null : Path.GetFullPath(data, baseDirectory), mounts)
        {
            AccountsPath = accounts,
            Slots = slots,
            LogsDirectory = logs is null ? null : Path.GetFullPath(logs, baseDirectory),
        };
    }

    private static MountConfig ParseMount(string file, string baseDirectory, int index, JsonElement element, IReadOnlyCollection<string> appNames)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ConfigException(file, $"mount #{index} must be an object such as {{\"path\": \"/api\", \"app\": \"counter\"}}");
        }
        var path = OptionalString(element, "path", problem => new ConfigException(file, $"mount #{index}: {problem}"))
            ?? throw new ConfigException(file, $"mount #{index} has no \"path\"");
        ConfigException Fail(string problem) => new(file, path, problem);

        if (MountPrefix.Problem(path) is { } prefixProblem)
        {
            throw Fail(prefixProblem);
        }
        RefuseUnknownKeys(element, ["path", "app", "assembly", "entry", "proxy", "timeout", "static", "inject"], key => Fail($"unknown key \"{key}\""));
        var inject = element.TryGetProperty("inject", out var injectElement)
            ? injectElement.ValueKind is JsonValueKind.True or JsonValueKind.False ? injectElement.GetBoolean() : throw Fail("\"inject\" must be true or false")
            : false;
        var kinds = MountKinds.Where(kind => element.TryGetProperty(kind, out _)).ToList();
        if (kinds.Count != 1)
        {
            throw Fail($"a mount needs exactly one of \"app\", \"assembly\", \"proxy\" or \"static\"{(kinds.Count > 1 ? $", not {string.Join(" and ", kinds)}" : "")}");
        }
        var kind = kinds[0];
        var target = OptionalString(element, kind, Fail) ?? throw Fail($"\"{kind}\" must not be empty");
        RefuseMisplaced(element, "entry", kind, "assembly", Fail);
        RefuseMisplaced(element, "timeout", kind, "proxy", Fail);
        MountConfig mount = kind switch
        {
            "app" => appNames.Contains(target)
                ? new AppMountConfig(path, target)
                : throw Fail($"unknown app \"{target}\" (built-in apps: {string.Join(", ", appNames.Order())})"),
            "assembly" => ParseAssembly(path, Path.GetFullPath(target, baseDirectory), OptionalString(element, "entry", Fail), Fail),
            "proxy" => new ProxyMountConfig(path, ParseDestination(target, Fail), ParseTimeout(element, Fail)),
            _ => Directory.Exists(Path.GetFullPath(target, baseDirectory))
                ? new StaticMountConfig(path, Path.GetFullPath(target, baseDirectory))
                : throw Fail($"static directory {Path.GetFullPath(target, baseDirectory)} does not exist"),
        };
        return mount with { Inject = inject };
    }

    // The host answers these itself, before the dispatcher: a mount there would never be reached.
    private static bool IsReserved(string path) =>
        string.Equals(path, SiteConfig.UserBoxPath, StringComparison.OrdinalIgnoreCase) || string.Equals(path, "/healthz", StringComparison.OrdinalIgnoreCase);

    private static AssemblyMountConfig ParseAssembly(string path, string assembly, string? entry, Func<string, ConfigException> fail)
    {
        if (!File.Exists(assembly))
        {
            throw fail($"assembly {assembly} not found");
        }
        var dot = entry?.LastIndexOf('.') ?? -1;
        if (entry is null || dot <= 0 || dot == entry.Length - 1)
        {
            throw fail("an assembly mount needs \"entry\": \"Namespace.Type.Method\", the method that creates the app");
        }
        return new AssemblyMountConfig(path, assembly, entry);
    }

    private static Uri ParseDestination(string url, Func<string, ConfigException> fail) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0
            ? uri
            : throw fail($"bad proxy URL \"{url}\" (expected http:// or https:// and a host, with no user, password or query)");

    private static TimeSpan ParseTimeout(JsonElement element, Func<string, ConfigException> fail)
    {
        if (!element.TryGetProperty("timeout", out var timeout))
        {
            return SiteConfig.DefaultProxyTimeout;
        }
        return timeout.ValueKind == JsonValueKind.Number && timeout.TryGetDouble(out var seconds) && seconds is >= 0.001 and <= 86_400
            ? TimeSpan.FromSeconds(seconds)
            : throw fail("\"timeout\" must be a number of seconds between 0.001 and 86400");
    }

    private static IReadOnlyList<string> ParseUrls(string file, string? urls)
    {
        if (urls is null)
        {
            return SiteConfig.DefaultUrls;
        }
        var list = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return list.Length > 0 && list.All(IsListenUrl) ? list : throw new ConfigException(file, $"bad URL in \"urls\": \"{urls}\" (expected http://HOST:PORT, several separated by ';'; TLS belongs to nginx in front)");
    }

    private static List<ListenSlot> ParseSlots(string file, JsonElement root)
    {
        if (!root.TryGetProperty("slots", out var element))
        {
            return [];
        }
        const string Expected = "(expected a list of \"address:port\" such as [\"127.0.0.1:5001\", \"127.0.0.1:5002\"], ports 1-65535)";
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() == 0)
        {
            throw new ConfigException(file, $"\"slots\" must list at least one slot {Expected}");
        }
        var slots = new List<ListenSlot>();
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || !ListenSlot.TryParse(item.GetString()!, out var slot))
            {
                throw new ConfigException(file, $"bad slot {item.GetRawText()} in \"slots\" {Expected}");
            }
            // A slot's lock and log are named by its port alone, so two slots must not share one.
            if (slots.Find(s => s.Port == slot.Port) is { } earlier)
            {
                throw new ConfigException(file, $"slot \"{slot}\" in \"slots\" repeats port {slot.Port} of \"{earlier}\" (each slot needs a port of its own)");
            }
            slots.Add(slot);
        }
        return slots;
    }

    /// <summary>
    /// Whether the host can listen on <paramref name="url"/>: http, a host (or *, +) and no path. No https: the
    /// host has no certificate of its own, TLS ends at nginx.
    /// </summary>
    public static bool IsListenUrl(string url) =>
        Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
        && uri.Scheme is "http"
        && uri.AbsolutePath == "/" && uri.Query.Length == 0;

    private static string? OptionalString(JsonElement element, string key, Func<string, ConfigException> fail)
    {
        if (!element.TryGetProperty(key, out var value))
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw fail($"\"{key}\" must be a non-empty string");
    }

    private static void RefuseUnknownKeys(JsonElement element, string[] known, Func<string, ConfigException> fail)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                throw fail(property.Name);
            }
        }
    }

    private static void RefuseMisplaced(JsonElement element, string key, string kind, string ownerKind, Func<string, ConfigException> fail)
    {
        if (kind != ownerKind && element.TryGetProperty(key, out _))
        {
            throw fail($"\"{key}\" belongs to {ownerKind} mounts only");
        }
    }
}
