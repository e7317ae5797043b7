namespace QuestAspire.Catalog.Api.Contracts;

/// <summary>What the bodies of POST and PUT <c>/api/quests</c> and <c>/api/rewards</c> share: the name, and the optional active state.</summary>
public interface ICatalogRequest
{
    string? Name { get; }

    bool? IsActive { get; }
}
