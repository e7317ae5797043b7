namespace QuestAspire.Catalog.Api.Model;

/// <summary>
/// What quests and rewards share as catalog entries: an id, a unique name, the catalog version
/// of their last change, and an active state an admin switches. The commands on both are written
/// once against it.
/// </summary>
public interface ICatalogEntry
{
    Guid Id { get; }

    string Name { get; }

    bool IsActive { get; }

    long Version { get; }

    void Activate();

    void Deactivate();
}

public static class CatalogEntry
{
    /// <summary>Activates on true, deactivates on false, and leaves the entry as it is on null (the field left out).</summary>
    public static void SetActive(this ICatalogEntry entry, bool? active)
    {
        if (active == true)
        {
            entry.Activate();
        }
        else if (active == false)
        {
            entry.Deactivate();
        }
    }
}
