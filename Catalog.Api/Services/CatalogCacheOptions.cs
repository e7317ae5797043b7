using System.ComponentModel.DataAnnotations;

namespace QuestAspire.Catalog.Api.Services;

/// <summary>How long a cached catalog read lives; writes retire entries sooner.</summary>
public sealed class CatalogCacheOptions
{
    public const string SectionName = "CatalogCache";

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromMinutes(10);
}
