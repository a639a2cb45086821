// Account ▸ Change password…: the current password and the new one twice. The server signs
// out every other device of the account (docs/ACCOUNTS.md); the dialog says so before, and
// closes (accepted) on password_changed.
#pragma once

#include "account_call_dialog.h"

class QLineEdit;
class QPushButton;

namespace chalk::ui {

class ChangePasswordDialog : public AccountCallDialog {
    Q_OBJECT
public:
    explicit ChangePasswordDialog(client::ChatClient *client, QWidget *parent = nullptr);

    QLineEdit *oldEdit() const { return m_old; }
    QLineEdit *newEdit() const { return m_new; }
    QLineEdit *repeatEdit() const { return m_repeat; }
    QPushButton *submitButton() const { return m_submit; }

public slots:
    void submit();

protected:
    QWidget *fieldOf(const protocol::CallError &error) const override;
    QString textOf(const protocol::CallError &error) const override;

private:
    QLineEdit *m_old;
    QLineEdit *m_new;
    QLineEdit *m_repeat;
    QPushButton *m_submit;
};

} // namespace chalk::ui
