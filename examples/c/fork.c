/* The program from the fork seed (shared/seeds/002): fork; the parent
   prints "parent", the child prints "child". */
#include <stdio.h>
#include <unistd.h>

int main()
{
        pid_t pid;
        if((pid=fork())>0)
        {
                printf("parent\n");
        }
        else if(pid==0)
        {
                printf("child\n");
        }
        else
                printf("error\n");
        return 0;
}
