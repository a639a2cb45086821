// The Account menu of the menu bar: who one is (anonymous, or signed in as X), Sign in…,
// Create account…, Change password… and Sign out. It also decides when the sign-in dialog
// opens by itself: when the server requires an account, and when this device lost the
// account it had chosen (its token was revoked: another device changed the password). The
// choice -- an account, or anonymous -- is remembered (settings::accountChoice).
#pragma once

#include "change_password_dialog.h"
#include "sign_in_dialog.h"

#include <QMenu>
#include <QPointer>
#include <memory>

namespace chalk::client {
class ChatClient;
class SettingsStore;
} // namespace chalk::client

namespace chalk::ui {

class AccountMenu : public QMenu {
    Q_OBJECT
public:
    // window: the parent of the dialogs.
    AccountMenu(client::ChatClient *client, std::shared_ptr<client::SettingsStore> settings,
                QWidget *window);

    QAction *whoAction() const { return m_who; }
    QAction *signInAction() const { return m_signIn; }
    QAction *createAccountAction() const { return m_create; }
    QAction *changePasswordAction() const { return m_changePassword; }
    QAction *signOutAction() const { return m_signOut; }
    // The dialogs while they are open, else nullptr.
    SignInDialog *signInDialog() const { return m_signInDialog; }
    ChangePasswordDialog *changePasswordDialog() const { return m_passwordDialog; }
    // What `who` says, e.g. "Signed in as Ann".
    QString whoText() const;

public slots:
    void openSignIn(chalk::ui::SignInDialog::Mode mode, bool accountRequired = false);
    void openChangePassword();
    void signOut();

private:
    void updateActions();
    void onReady();

    QPointer<client::ChatClient> m_client;
    std::shared_ptr<client::SettingsStore> m_settings;
    QWidget *m_window;
    QAction *m_who;
    QAction *m_signIn;
    QAction *m_create;
    QAction *m_changePassword;
    QAction *m_signOut;
    QPointer<SignInDialog> m_signInDialog;
    QPointer<ChangePasswordDialog> m_passwordDialog;
    bool m_required = false; // the server said account_required on this link
};

} // namespace chalk::ui
