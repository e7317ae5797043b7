using QuestAspire.Web.Contracts;

namespace QuestAspire.Web.Services;

/// <summary>
/// The wallet of the circuit's user, shared by the page that learns a new balance (a refresh, a
/// claim) and the wallet in the top bar, which shows it at once.
/// </summary>
public sealed class WalletState
{
    public Wallet? Current { get; private set; }

    public event Action? Changed;

    public void Update(Wallet wallet)
    {
        if (wallet == Current)
        {
            return;
        }

        Current = wallet;
        Changed?.Invoke();
    }
}
