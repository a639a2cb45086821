// The bar above the message editor while a message is being edited or replied to: "Editing
// message — Esc to cancel", or "Replying to Ann" with one elided line of the quoted text, and
// an × that cancels. Plain text only. Not for sending (MessagesPane) nor for the editor's keys
// (MessageInput).
#pragma once

#include <QFrame>
#include <QString>

class QToolButton;

namespace chalk::ui {

class ElidedLabel;

class ComposeBar : public QFrame {
    Q_OBJECT
public:
    enum class Mode { None, Edit, Reply };

    explicit ComposeBar(QWidget *parent = nullptr);

    void startEdit(const QString &messageUuid);
    void startReply(const QString &messageUuid, const QString &sender, const QString &quote);
    // Hides the bar (no signal: the caller knows).
    void clear();

    Mode mode() const { return m_mode; }
    QString messageUuid() const { return m_uuid; }
    ElidedLabel *titleLabel() const { return m_title; }
    ElidedLabel *quoteLabel() const { return m_quote; }
    QToolButton *cancelButton() const { return m_cancel; }

signals:
    // The × was clicked.
    void cancelRequested();

private:
    Mode m_mode = Mode::None;
    QString m_uuid;
    ElidedLabel *m_title;
    ElidedLabel *m_quote;
    QToolButton *m_cancel;
};

} // namespace chalk::ui
