using System.Reflection;
using Microsoft.AspNetCore.Components.Forms;

namespace QuestAspire.Web.Services;

/// <summary>
/// Puts an API's field errors on an <see cref="EditForm"/>: the inputs of those fields get
/// <c>aria-invalid</c> and the <c>invalid</c> class, and editing a field clears its error.
/// API field names are snake_case (<c>reward_id</c>), model properties PascalCase (<c>RewardId</c>);
/// a dotted name (<c>quest.reward.qty</c>) is a field of a nested model (<c>Quest.Reward.Qty</c>).
/// </summary>
public sealed class ServerValidation : IDisposable
{
    private static readonly IReadOnlyDictionary<string, string[]> None = new Dictionary<string, string[]>();
    private readonly EditContext _editContext;
    private readonly ValidationMessageStore _store;
    private Dictionary<string, string[]> _errors = [];
    private Dictionary<string, FieldIdentifier> _fields = [];

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
        _fields = errors.Keys.ToDictionary(field => field, Field);
        foreach (var (field, messages) in errors)
        {
            _store.Add(_fields[field], messages);
        }

        _editContext.NotifyValidationStateChanged();
    }

    public void Clear() => Show(None);

    public static string PropertyName(string apiField) =>
        string.Concat(apiField.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    // Follows the dotted path through the model's properties; where it leads nowhere, the rest
    // names a field of the last model reached (its error is then shown, just not on an input).
    private FieldIdentifier Field(string apiField)
    {
        var model = _editContext.Model;
        var path = apiField.Split('.');
        for (var i = 0; i < path.Length - 1; i++)
        {
            var nested = model.GetType().GetProperty(PropertyName(path[i]), BindingFlags.Public | BindingFlags.Instance)?.GetValue(model);
            if (nested is null || nested is string || nested.GetType().IsValueType)
            {
                return new FieldIdentifier(model, string.Concat(path[i..].Select(PropertyName)));
            }

            model = nested;
        }

        return new FieldIdentifier(model, PropertyName(path[^1]));
    }

    private void OnFieldChanged(object? sender, FieldChangedEventArgs e)
    {
        var removed = _fields.Where(f => f.Value.Equals(e.FieldIdentifier)).Select(f => f.Key).ToList();
        if (removed.Count > 0)
        {
            foreach (var field in removed)
            {
                _errors.Remove(field);
                _fields.Remove(field);
            }

            _store.Clear(e.FieldIdentifier);
            _editContext.NotifyValidationStateChanged();
        }
    }

    public void Dispose() => _editContext.OnFieldChanged -= OnFieldChanged;
}
