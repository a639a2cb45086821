// The base of the account dialogs (SignInDialog, ChangePasswordDialog): sends one account
// call and waits for its answer, which takes a moment (the server hashes the password off its
// event loop). While it waits the dialog is busy (inputs disabled, an indicator shown); the
// server's typed error is said in the dialog in words, and what was typed stays. Not for the
// form itself: the subclasses build that.
#pragma once

#include <QDialog>
#include <QPointer>
#include <QStringList>

class QLabel;
class QProgressBar;
class QVBoxLayout;

namespace chalk::client {
class ChatClient;
}
namespace chalk::protocol {
struct CallError;
}

namespace chalk::ui {

class AccountCallDialog : public QDialog {
    Q_OBJECT
public:
    AccountCallDialog(client::ChatClient *client, QWidget *parent = nullptr);

    QLabel *errorLabel() const { return m_error; }
    QString errorText() const;
    QProgressBar *busyIndicator() const { return m_busy; }
    bool isBusy() const { return m_waiting; }

    // What a person is told for an answer of register, login or change_password: a wrong
    // password and an unknown name read alike, as the server answers them alike.
    static QString describe(const protocol::CallError &error);

protected:
    client::ChatClient *client() const { return m_client; }
    // The layout the subclass fills above the error line and the busy indicator.
    QVBoxLayout *formLayout() const { return m_form; }
    // A plain-text form label for `field` (its mnemonic focuses the field).
    QLabel *fieldLabel(const QString &text, QWidget *field);
    // The dialog's buttons, below the error line.
    void setButtons(QWidget *buttons);
    // Disabled while an answer is awaited.
    void addInput(QWidget *widget) { m_inputs.append(widget); }
    // `sent`: what the client's call returned; `callNames`: the calls whose errors answer it.
    void startCall(bool sent, const QStringList &callNames);
    // The answer was a success: no longer busy, the dialog is accepted.
    void finishCall();
    // An error, said under the form; the focus goes to `field` (its text selected, not lost).
    void showError(const QString &text, QWidget *field = nullptr);
    void clearError();
    // The field an error is about (its `field`), for the focus; nullptr: none.
    virtual QWidget *fieldOf(const protocol::CallError &error) const = 0;
    // The text for an error; the default is describe().
    virtual QString textOf(const protocol::CallError &error) const;

private:
    void setBusy(bool busy);
    void onError(const protocol::CallError &error);

    QPointer<client::ChatClient> m_client;
    QVBoxLayout *m_form;
    QVBoxLayout *m_layout;
    QLabel *m_error;
    QProgressBar *m_busy;
    QList<QPointer<QWidget>> m_inputs;
    QStringList m_calls; // the calls of the answer awaited
    bool m_waiting = false;
};

} // namespace chalk::ui
