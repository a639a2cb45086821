#include "message_input.h"

#include <QKeyEvent>

namespace chalk::ui {

MessageInput::MessageInput(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setObjectName(QStringLiteral("MessageInput"));
    setPlaceholderText(tr("Write a message… (Enter sends, Shift+Enter for a new line)"));
    setTabChangesFocus(true);
    setAccessibleName(tr("Message"));
    setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
}

QSize MessageInput::sizeHint() const
{
    const int lines = 3;
    return {300, fontMetrics().lineSpacing() * lines + 2 * frameWidth() + 12};
}

QSize MessageInput::minimumSizeHint() const
{
    return {100, fontMetrics().lineSpacing() * 2 + 2 * frameWidth() + 8};
}

void MessageInput::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) {
        if (event->modifiers() & Qt::ShiftModifier) {
            insertPlainText(QStringLiteral("\n"));
        } else {
            emit submitRequested();
        }
        event->accept();
        return;
    }
    if (event->key() == Qt::Key_Up && event->modifiers() == Qt::NoModifier &&
        toPlainText().isEmpty()) {
        emit editLastRequested();
        event->accept();
        return;
    }
    if (event->key() == Qt::Key_Escape) {
        emit cancelRequested();
        event->accept();
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
}

} // namespace chalk::ui
