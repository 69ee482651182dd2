/* Purpose: the table of admin subcommands that main.c dispatches to. */
#include "commands.h"

#include <string.h>

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "monitor", cmd_monitor },
	{ "explain", cmd_explain },
	{ "record", cmd_record },
	{ "replay", cmd_replay },
	{ "status", cmd_status },
};

int (*command_find(const char *name))(int argc, char **argv)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return commands[i].fn;
	return NULL;
}
