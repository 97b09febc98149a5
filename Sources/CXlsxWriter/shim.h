// libxlsxwriter from the system (Debian libxlsxwriter-dev): the .xlsx files for people (SPEC 8.3).
#include <xlsxwriter.h>
