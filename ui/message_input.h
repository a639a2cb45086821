// The message editor: Enter sends, Shift+Enter starts a new line; Up in an empty editor asks
// to edit one's last message, Escape to cancel an edit or reply. Plain text only (pasted HTML
// arrives as its text).
#pragma once

#include <QPlainTextEdit>

namespace chalk::ui {

class MessageInput : public QPlainTextEdit {
    Q_OBJECT
public:
    explicit MessageInput(QWidget *parent = nullptr);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void submitRequested();
    void editLastRequested();
    void cancelRequested();

protected:
    void keyPressEvent(QKeyEvent *event) override;
};

} // namespace chalk::ui
