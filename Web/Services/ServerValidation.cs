using Microsoft.AspNetCore.Components.Forms;

namespace QuestAspire.Web.Services;

/// <summary>
/// Puts an API's field errors on an <see cref="EditForm"/>: the inputs of those fields get
/// <c>aria-invalid</c> and the <c>invalid</c> class, and editing a field clears its error.
/// API field names are snake_case (<c>reward_id</c>), model properties PascalCase (<c>RewardId</c>).
/// </summary>
public sealed class ServerValidation : IDisposable
{
    private static readonly IReadOnlyDictionary<string, string[]> None = new Dictionary<string, string[]>();
    private readonly EditContext _editContext;
    private readonly ValidationMessageStore _store;
    private Dictionary<string, string[]> _errors = [];

    public ServerValidation(EditContext editContext)
    {
        _editContext = editContext;
        _store = new ValidationMessageStore(editContext);
        editContext.OnFieldChanged += OnFieldChanged;
    }

    /// <summary>The errors shown now, keyed by the API's field names.</summary>
    public IReadOnlyDictionary<string, string[]> Errors => _errors.Count == 0 ? None : _errors;

    public void Show(IReadOnlyDictionary<string, string[]> errors)
    {
        _store.Clear();
        _errors = new(errors);
        foreach (var (field, messages) in errors)
        {
            _store.Add(_editContext.Field(PropertyName(field)), messages);
        }

        _editContext.NotifyValidationStateChanged();
    }

    public void Clear() => Show(None);

    public static string PropertyName(string apiField) =>
        string.Concat(apiField.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    private void OnFieldChanged(object? sender, FieldChangedEventArgs e)
    {
        var removed = _errors.Keys.Where(field => PropertyName(field) == e.FieldIdentifier.FieldName).ToList();
        if (removed.Count > 0)
        {
            removed.ForEach(field => _errors.Remove(field));
            _store.Clear(e.FieldIdentifier);
            _editContext.NotifyValidationStateChanged();
        }
    }

    public void Dispose() => _editContext.OnFieldChanged -= OnFieldChanged;
}
