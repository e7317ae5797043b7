using System.ComponentModel.DataAnnotations;

namespace QuestAspire.Processing.Worker.Services;

/// <summary>Where the quests come from and how often the in-memory copy is refreshed.</summary>
public sealed class CatalogOptions
{
    public const string SectionName = "Catalog";

    /// <summary>Catalog.Api, resolved by service discovery.</summary>
    [Required]
    public Uri BaseAddress { get; set; } = new("http://catalog-api");

    /// <summary>A copy older than this is refreshed in the background; until then quest changes are not seen.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);
}
