/* true: do nothing, successfully (exit status 0). */

/* Succeed. */
int main(void)
{
	return 0;
}
