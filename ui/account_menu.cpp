#include "account_menu.h"

#include "app_settings.h"
#include "change_password_dialog.h"
#include "client/chat_client.h"
#include "client/settings_store.h"
#include "protocol/limits.h"
#include "ui_logging.h"

namespace chalk::ui {

using client::ChatClient;

namespace {
const QString kAccount = QStringLiteral("account");
const QString kAnonymous = QStringLiteral("anonymous");

// Names are peer text: in a menu a '&' would become a mnemonic. Cut (visibly) only beyond a
// display name's limit, so "user-<uuid>" shows whole.
QString menuSafe(const QString &text)
{
    QString s = text.simplified();
    const int limit = protocol::Limits{}.userName;
    if (s.size() > limit)
        s = s.left(limit - 1) + QChar(0x2026);
    return s.replace(QLatin1Char('&'), QStringLiteral("&&"));
}
QString serverOf(const QUrl &url)
{
    return url.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment).toString();
}
} // namespace

AccountMenu::AccountMenu(client::ChatClient *client,
                         std::shared_ptr<client::SettingsStore> settings, QWidget *window)
    : QMenu(tr("&Account"), window)
    , m_client(client)
    , m_settings(std::move(settings))
    , m_window(window)
{
    setObjectName(QStringLiteral("AccountMenu"));
    m_who = addAction(QString());
    m_who->setObjectName(QStringLiteral("AccountWhoAction"));
    m_who->setEnabled(false);
    addSeparator();
    m_signIn = addAction(tr("&Sign in…"), this, [this] { openSignIn(SignInDialog::Mode::SignIn); });
    m_signIn->setObjectName(QStringLiteral("SignInAction"));
    m_create = addAction(tr("&Create account…"), this,
                         [this] { openSignIn(SignInDialog::Mode::CreateAccount); });
    m_create->setObjectName(QStringLiteral("CreateAccountAction"));
    m_changePassword = addAction(tr("C&hange password…"), this, &AccountMenu::openChangePassword);
    m_changePassword->setObjectName(QStringLiteral("ChangePasswordAction"));
    m_signOut = addAction(tr("Sign &out"), this, &AccountMenu::signOut);
    m_signOut->setObjectName(QStringLiteral("SignOutAction"));

    if (client) {
        connect(client, &ChatClient::stateChanged, this, [this] {
            if (m_client && !m_client->isConnected())
                m_required = false; // learnt again on the next link
            updateActions();
        });
        connect(client, &ChatClient::userChanged, this, &AccountMenu::updateActions);
        connect(client, &ChatClient::ready, this, &AccountMenu::onReady);
        connect(client, &ChatClient::loggedOut, this, &AccountMenu::updateActions);
        const auto chose = [this] {
            settings::accountChoice.set(*m_settings, kAccount);
            settings::accountServer.set(*m_settings, serverOf(m_client->url()));
            updateActions();
        };
        connect(client, &ChatClient::registered, this, chose);
        connect(client, &ChatClient::loggedIn, this, chose);
        connect(client, &ChatClient::accountRequired, this, [this] {
            m_required = true;
            updateActions();
            openSignIn(SignInDialog::Mode::SignIn, true);
        });
    }
    updateActions();
}

QString AccountMenu::whoText() const
{
    if (!m_client || !m_client->isReady())
        return m_required ? tr("Not signed in") : tr("Not connected");
    const protocol::User user = m_client->user();
    return user.registered ? tr("Signed in as %1").arg(menuSafe(user.name))
                           : tr("Anonymous: %1").arg(menuSafe(user.name));
}

void AccountMenu::updateActions()
{
    const bool linked = m_client && m_client->isConnected();
    const bool ready = linked && m_client->isReady();
    const bool registered = ready && m_client->user().registered;
    m_who->setText(whoText());
    m_signIn->setEnabled(linked && !registered);
    m_create->setEnabled(linked && !registered);
    m_changePassword->setEnabled(registered);
    m_signOut->setEnabled(registered);
}

void AccountMenu::onReady()
{
    updateActions();
    if (!m_client || m_client->user().registered || m_signInDialog)
        return;
    // This device had an account and now is anonymous without having signed out: its token
    // was revoked (a password change elsewhere). Asked again, unless anonymous was chosen.
    if (settings::accountChoice.get(*m_settings) == kAccount &&
        settings::accountServer.get(*m_settings) == serverOf(m_client->url())) {
        qCInfo(lcUi) << "the account's token was not accepted: asking to sign in again";
        openSignIn(SignInDialog::Mode::SignIn);
    }
}

void AccountMenu::openSignIn(SignInDialog::Mode mode, bool accountRequired)
{
    if (m_signInDialog) {
        if (accountRequired)
            m_signInDialog->setAccountRequired(true);
        m_signInDialog->setMode(mode);
        m_signInDialog->raise();
        m_signInDialog->activateWindow();
        return;
    }
    auto *dialog = new SignInDialog(m_client, mode, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAccountRequired(accountRequired || m_required);
    connect(dialog, &SignInDialog::continuedAnonymously, this,
            [this] { settings::accountChoice.set(*m_settings, kAnonymous); });
    m_signInDialog = dialog;
    dialog->open();
}

void AccountMenu::openChangePassword()
{
    if (m_passwordDialog) {
        m_passwordDialog->raise();
        return;
    }
    auto *dialog = new ChangePasswordDialog(m_client, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_passwordDialog = dialog;
    dialog->open();
}

void AccountMenu::signOut()
{
    if (!m_client)
        return;
    // Chosen: the anonymous identity that follows is not a lost account to ask about.
    settings::accountChoice.set(*m_settings, kAnonymous);
    m_client->logout();
}

} // namespace chalk::ui
