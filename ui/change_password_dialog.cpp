#include "change_password_dialog.h"

#include "client/chat_client.h"
#include "protocol/limits.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace chalk::ui {

namespace {
QLineEdit *passwordEdit(const QString &objectName, const QString &accessibleName, QWidget *parent)
{
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(objectName);
    edit->setAccessibleName(accessibleName);
    edit->setEchoMode(QLineEdit::Password);
    edit->setMaxLength(protocol::Limits{}.passwordMaxBytes);
    edit->setMinimumWidth(260);
    return edit;
}
} // namespace

ChangePasswordDialog::ChangePasswordDialog(client::ChatClient *client, QWidget *parent)
    : AccountCallDialog(client, parent)
{
    setObjectName(QStringLiteral("ChangePasswordDialog"));
    setWindowTitle(tr("Change password"));
    auto *intro =
        new QLabel(tr("Your other devices are signed out when the password changes."), this);
    intro->setTextFormat(Qt::PlainText);
    intro->setWordWrap(true);
    m_old = passwordEdit(QStringLiteral("OldPasswordEdit"), tr("Current password"), this);
    m_new = passwordEdit(QStringLiteral("NewPasswordEdit"), tr("New password"), this);
    m_repeat =
        passwordEdit(QStringLiteral("RepeatPasswordEdit"), tr("Repeat the new password"), this);
    auto *form = new QFormLayout;
    form->addRow(fieldLabel(tr("&Current password:"), m_old), m_old);
    form->addRow(fieldLabel(tr("&New password:"), m_new), m_new);
    form->addRow(fieldLabel(tr("&Repeat:"), m_repeat), m_repeat);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_submit = buttons->addButton(tr("Change password"), QDialogButtonBox::ActionRole);
    m_submit->setObjectName(QStringLiteral("ChangePasswordButton"));
    m_submit->setDefault(true);
    connect(m_submit, &QPushButton::clicked, this, &ChangePasswordDialog::submit);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    formLayout()->addWidget(intro);
    formLayout()->addLayout(form);
    setButtons(buttons);
    for (QWidget *w : {static_cast<QWidget *>(m_old), static_cast<QWidget *>(m_new),
                       static_cast<QWidget *>(m_repeat), static_cast<QWidget *>(m_submit)})
        addInput(w);
    if (client)
        connect(client, &client::ChatClient::passwordChanged, this,
                &ChangePasswordDialog::finishCall);
}

void ChangePasswordDialog::submit()
{
    if (isBusy())
        return;
    if (m_old->text().isEmpty()) {
        showError(tr("Type your current password."), m_old);
        return;
    }
    if (m_new->text() != m_repeat->text()) {
        showError(tr("The two new passwords differ. Type the same password twice."), m_repeat);
        return;
    }
    client::ChatClient *c = client();
    startCall(c && c->changePassword(m_old->text(), m_new->text()),
              {protocol::name(protocol::Call::ChangePassword)});
}

QWidget *ChangePasswordDialog::fieldOf(const protocol::CallError &error) const
{
    return error.error == protocol::Error::BadLogin ? m_old : m_new;
}

QString ChangePasswordDialog::textOf(const protocol::CallError &error) const
{
    if (error.error == protocol::Error::BadLogin)
        return tr("The current password is wrong.");
    return describe(error);
}

} // namespace chalk::ui
