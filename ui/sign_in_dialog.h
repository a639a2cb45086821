// The sign-in / create-account dialog (docs/ACCOUNTS.md, docs/CLIENT.md): sign in with a name
// and a password, create an account (the password typed twice), or continue anonymously --
// the default, as anonymous use is. On a server that requires accounts that last choice is not
// offered. It closes (accepted) once the server has answered registered or logged_in.
#pragma once

#include "account_call_dialog.h"

class QLineEdit;
class QPushButton;
class QTabBar;

namespace chalk::ui {

class SignInDialog : public AccountCallDialog {
    Q_OBJECT
public:
    enum class Mode { SignIn, CreateAccount };

    SignInDialog(client::ChatClient *client, Mode mode = Mode::SignIn, QWidget *parent = nullptr);

    Mode mode() const;
    void setMode(Mode mode);
    // The server admits nobody without an account: "Continue anonymously" is not offered.
    void setAccountRequired(bool required);
    bool accountRequired() const { return m_required; }

    QTabBar *modeTabs() const { return m_tabs; }
    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *passwordEdit() const { return m_password; }
    QLineEdit *repeatEdit() const { return m_repeat; }
    QPushButton *anonymousButton() const { return m_anonymous; }
    QPushButton *submitButton() const { return m_submit; }

public slots:
    // Signs in or creates the account with what was typed.
    void submit();

signals:
    // "Continue anonymously" was chosen (the dialog is rejected after this).
    void continuedAnonymously();

protected:
    QWidget *fieldOf(const protocol::CallError &error) const override;

private:
    void updateMode();
    void updateDefaultButton();

    QLabel *m_intro;
    QTabBar *m_tabs;
    QLineEdit *m_name;
    QLineEdit *m_password;
    QLabel *m_repeatLabel;
    QLineEdit *m_repeat;
    QPushButton *m_anonymous;
    QPushButton *m_submit;
    bool m_required = false;
};

} // namespace chalk::ui
