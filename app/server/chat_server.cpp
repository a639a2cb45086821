#include "chat_server.h"
// Implementation in progress.
